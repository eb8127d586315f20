import { randomUUID } from 'node:crypto';
import type { Event, IsoDate } from '@app/core';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  createTestDatabase,
  duesPaid,
  memberImported,
  type TestDatabase,
  unionEstablished,
} from '@app/testing';
import type { CommitteeRole, RulePreset, RuleSettingsOverrides } from '@app/unions';
import type { PoolClient } from 'pg';
import { ElectionsProjection } from '../elections/elections.projection';
import { RegistryProjection } from '../registry/registry.projection';
import { ProjectionRunner } from '../runner/projection-runner';
import { SettingsProjection } from '../settings/settings.projection';
import { TransfersProjection } from '../transfers/transfers.projection';

/** Events of the governance read-model specs, with the defaults the specs do not care about. */
export const ev = {
  established: (unionId: string, level: string, parentId: string | null): Event =>
    unionEstablished(unionId, level, parentId),
  imported: (
    memberId: string,
    unionId: string,
    gender: 'FEMALE' | 'MALE',
    options: { joinedOn?: IsoDate; liableFrom?: string; exempt?: boolean } = {},
  ): Event => memberImported(memberId, unionId, { ...options, gender, importedOn: '2024-02-01' }),
  duesPaid: (memberId: string, unionId: string, period: string): Event =>
    duesPaid(memberId, unionId, period, { source: 'PAYMENT', paidOnDay: 28 }),
  form: (unionId: string, form: string): Event => ({
    type: 'GovernanceFormSet',
    data: {
      unionId,
      form,
      jointWithUnionIds: [],
      organizerMemberId: null,
      activeMembers: 0,
      effectiveOn: '2024-01-01',
    },
  }),
  committee: (
    unionId: string,
    memberIds: string[],
    seats: number,
    termStart: IsoDate,
    termEnd: IsoDate,
  ): Event => ({
    type: 'CommitteeElected',
    data: {
      unionId,
      electionId: `e-${unionId}`,
      seats,
      memberIds,
      termYears: 3,
      termStart,
      termEnd,
    },
  }),
  chair: (unionId: string, memberId: string): Event => ({
    type: 'ChairElected',
    data: { unionId, electionId: `c-${unionId}`, memberId, electedOn: '2024-03-01' },
  }),
  roles: (unionId: string, assignments: { memberId: string; roles: CommitteeRole[] }[]): Event => ({
    type: 'CommitteeRolesAssigned',
    data: { unionId, assignments, decidedOn: '2024-03-02' },
  }),
  womenCommittee: (unionId: string, memberIds: string[]): Event => ({
    type: 'WomenCommitteeElected',
    data: { unionId, electionId: `w-${unionId}`, memberIds, electedOn: '2024-03-03' },
  }),
  meeting: (unionId: string, heldOn: IsoDate): Event => ({
    type: 'CommitteeMeetingHeld',
    data: { unionId, heldOn, minutesRef: null },
  }),
  dissolved: (unionId: string, parentId: string): Event => ({
    type: 'UnionDissolved',
    data: {
      unionId,
      reason: 'UNIT_TERMINATED',
      adminDecisionRef: 'D-1',
      filedWithUnionId: parentId,
      dissolvedOn: '2025-01-01',
    },
  }),
  provisioned: (tenantId: string, preset: RulePreset, provisionedOn: IsoDate): Event => ({
    type: 'TenantSettingsProvisioned',
    data: { tenantId, preset, provisionedOn },
  }),
  settingsChanged: (
    effectiveOn: IsoDate,
    change: { preset?: RulePreset; overrides?: RuleSettingsOverrides },
  ): Event => ({
    type: 'RuleSettingsChanged',
    data: {
      effectiveOn,
      ...(change.preset ? { preset: change.preset } : {}),
      overrides: change.overrides ?? {},
      reason: 'spec',
      decidedOn: effectiveOn,
    },
  }),
};

/** A database, a store and a runner with every projection these read models need. */
export class GovernanceHarness {
  private constructor(
    readonly db: TestDatabase,
    readonly store: PostgresEventStore,
    readonly runner: ProjectionRunner,
  ) {}

  static async start(): Promise<GovernanceHarness> {
    const db = await createTestDatabase();
    const store = new PostgresEventStore(db.appPool);
    const runner = new ProjectionRunner(
      store,
      db.appPool,
      [
        new RegistryProjection(),
        new SettingsProjection(),
        new TransfersProjection(),
        new ElectionsProjection(),
      ],
      { batchSize: 500 },
    );
    return new GovernanceHarness(db, store, runner);
  }

  close(): Promise<void> {
    return this.db.close();
  }

  /** A fresh tenant with its settings provisioned (ENTERPRISE_REGULATION unless told). */
  async tenant(preset: RulePreset = 'ENTERPRISE_REGULATION'): Promise<string> {
    const t = `t-${randomUUID()}`;
    await this.append(t, 'tenant-settings', [ev.provisioned(t, preset, '2024-01-01')]);
    return t;
  }

  /** company co → secondary unit s1 → brigade b1 → teams t1, t2; and s2 → b2 → t3. */
  async tree(t: string): Promise<void> {
    await this.append(t, 'union-co', [ev.established('co', 'COMPANY', null)]);
    for (const [id, level, parent] of [
      ['s1', 'SECONDARY_UNIT', 'co'],
      ['b1', 'BRIGADE', 's1'],
      ['t1', 'TEAM', 'b1'],
      ['t2', 'TEAM', 'b1'],
      ['s2', 'SECONDARY_UNIT', 'co'],
      ['b2', 'BRIGADE', 's2'],
      ['t3', 'TEAM', 'b2'],
    ] as const)
      await this.append(t, `union-${id}`, [ev.established(id, level, parent)]);
  }

  async append(t: string, stream: string, events: Event[]): Promise<void> {
    await this.store.appendToStream(t, stream, events);
  }

  /**
   * `count` members of one gender in a union, ids prefixed by the union. They joined on
   * 2026-06-01 so that no arrears build up within the dates the governance specs judge.
   */
  async members(
    t: string,
    unionId: string,
    count: number,
    gender: 'FEMALE' | 'MALE',
    from = 0,
    joinedOn: IsoDate = '2026-06-01',
  ): Promise<string[]> {
    const ids = Array.from({ length: count }, (_, i) => `${unionId}-${gender[0]}${from + i}`);
    for (const id of ids)
      await this.append(t, `member-${id}`, [ev.imported(id, unionId, gender, { joinedOn })]);
    return ids;
  }

  /** Reads as the application does: in a tenant transaction, after the projections caught up. */
  async read<T>(t: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    await this.runner.catchUp();
    return withTenant(this.db.appPool, t, work);
  }
}
