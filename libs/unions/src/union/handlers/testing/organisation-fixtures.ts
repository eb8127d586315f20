import { randomUUID } from 'node:crypto';
import type { CommandMetadata, EventMetadata, IsoDate, RecordedEvent } from '@app/core';
import { PostgresEventStore } from '@app/event-store';
import {
  ActorUnits,
  ProjectionRunner,
  ReadModelUnionFacts,
  allProjections,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  ApproveElectionResultCommand,
  ApproveElectionResultHandler,
} from '../../../election/handlers/approve-election-result.handler';
import {
  CallElectionCommand,
  CallElectionHandler,
} from '../../../election/handlers/call-election.handler';
import {
  RecordElectionResultCommand,
  RecordElectionResultHandler,
} from '../../../election/handlers/record-election-result.handler';
import { memberStreamId } from '../../../member/member.decider';
import type { MemberImported } from '../../../member/member.events';
import { CountingStore, tenantEvents } from '../../../member/handlers/testing/handler-fixtures';
import { ChangeRuleSettingsHandler } from '../../../tenant-settings/handlers/change-rule-settings.handler';
import {
  ProvisionTenantCommand,
  ProvisionTenantHandler,
} from '../../../tenant-settings/handlers/provision-tenant.handler';
import type { RulePreset } from '../../../tenant-settings/rule-settings';
import type { UnionLevel } from '../../union.state';
import { ApproveUnionEstablishmentHandler } from '../approve-union-establishment.handler';
import { AssignCommitteeRolesHandler } from '../assign-committee-roles.handler';
import { DissolveUnionHandler } from '../dissolve-union.handler';
import { EstablishUnionCommand, EstablishUnionHandler } from '../establish-union.handler';
import { ExtendTermHandler } from '../extend-term.handler';
import { RecallCommitteeMemberHandler } from '../recall-committee-member.handler';
import { RecordCommitteeMeetingHandler } from '../record-committee-meeting.handler';
import { RejectUnionEstablishmentHandler } from '../reject-union-establishment.handler';
import { RequestUnionEstablishmentHandler } from '../request-union-establishment.handler';
import { SetGovernanceFormCommand, SetGovernanceFormHandler } from '../set-governance-form.handler';
import { VacateCommitteeSeatHandler } from '../vacate-committee-seat.handler';

export { domainError } from '../../../member/handlers/testing/handler-fixtures';

/** 2025-07-15 12:00 in Asia/Shanghai: the business date of a command without one. */
export const NOW = new Date('2025-07-15T04:00:00Z');
export const TODAY: IsoDate = '2025-07-15';

/** Every organisation handler, on the (counted) real store and the read-model facts. */
export function organisationHandlers(store: CountingStore, facts: ReadModelUnionFacts) {
  return {
    provision: new ProvisionTenantHandler(store),
    changeSettings: new ChangeRuleSettingsHandler(store),
    establish: new EstablishUnionHandler(store, facts),
    request: new RequestUnionEstablishmentHandler(store, facts),
    approveUnion: new ApproveUnionEstablishmentHandler(store, facts),
    rejectUnion: new RejectUnionEstablishmentHandler(store, facts),
    governance: new SetGovernanceFormHandler(store, facts),
    roles: new AssignCommitteeRolesHandler(store, facts),
    extend: new ExtendTermHandler(store),
    recall: new RecallCommitteeMemberHandler(store),
    vacate: new VacateCommitteeSeatHandler(store),
    meeting: new RecordCommitteeMeetingHandler(store),
    dissolve: new DissolveUnionHandler(store, facts),
    callElection: new CallElectionHandler(store, facts),
    recordResult: new RecordElectionResultHandler(store),
    approveResult: new ApproveElectionResultHandler(store, facts),
  };
}

export type OrganisationHandlers = ReturnType<typeof organisationHandlers>;

export interface OrganisationWorld {
  readonly tenantId: string;
  readonly pg: PostgresEventStore;
  readonly store: CountingStore;
  readonly h: OrganisationHandlers;
  /** Metadata for one command: a fresh command id unless one is given. */
  meta(actor: string, commandId?: string): CommandMetadata;
  /** An officer of the union at `unitPath` ('/co/s1/') and of everything below it. */
  officer(userId: string, unitPath: string): void;
  /** Brings the read models up to date, as the projector does after a commit. */
  project(): Promise<void>;
}

/**
 * One private database per spec file, the real store, every projection and the read-model
 * UNION_FACTS adapter; `world()` gives each test a tenant of its own.
 */
export class OrganisationBed {
  private constructor(
    private readonly db: TestDatabase,
    readonly pg: PostgresEventStore,
    private readonly runner: ProjectionRunner,
    private readonly actors: ActorUnits,
    private readonly facts: ReadModelUnionFacts,
  ) {}

  static async start(): Promise<OrganisationBed> {
    const db = await createTestDatabase();
    const pg = new PostgresEventStore(db.appPool);
    const actors = new ActorUnits();
    return new OrganisationBed(
      db,
      pg,
      new ProjectionRunner(pg, db.appPool, allProjections()),
      actors,
      new ReadModelUnionFacts(db.appPool, actors),
    );
  }

  close(): Promise<void> {
    return this.db.close();
  }

  world(): OrganisationWorld {
    const tenantId = `tenant-${randomUUID()}`;
    const store = new CountingStore(this.pg);
    return {
      tenantId,
      pg: this.pg,
      store,
      h: organisationHandlers(store, this.facts),
      meta: (actor, commandId = randomUUID()) => ({ tenantId, actor, now: NOW, commandId }),
      officer: (userId, unitPath) => this.actors.register(tenantId, userId, unitPath),
      project: async () => {
        await this.runner.catchUp();
      },
    };
  }
}

/** The events of a stream after `version`, as [type, version, metadata] and their data. */
export async function writtenAfter(
  w: OrganisationWorld,
  streamId: string,
  version: number,
): Promise<{ heads: [string, number, EventMetadata][]; data: unknown[]; events: RecordedEvent[] }> {
  const { events } = await w.pg.readStream(w.tenantId, streamId, { fromVersion: version + 1 });
  return {
    heads: events.map((e) => [e.type, e.streamVersion, e.metadata]),
    data: events.map((e) => e.data),
    events,
  };
}

/** How many events the tenant has (to show a refused or repeated command wrote nothing). */
export async function eventCount(w: OrganisationWorld): Promise<number> {
  return (await tenantEvents(w.pg, w.tenantId)).length;
}

/** PLATFORM_ADMIN provisions the tenant with company union `co`; `hq` is an officer of it. */
export async function provisioned(
  w: OrganisationWorld,
  preset: RulePreset = 'ENTERPRISE_REGULATION',
): Promise<void> {
  await w.h.provision.execute(
    new ProvisionTenantCommand(
      { rootUnionId: 'co', rootUnionName: 'Company union', preset, provisionedOn: '2024-01-02' },
      w.meta('platform-admin'),
    ),
  );
  w.officer('hq', '/co/');
  await w.project();
}

/** `hq` establishes a union directly (and the read models learn of it). */
export async function established(
  w: OrganisationWorld,
  unionId: string,
  parentId: string,
  level: UnionLevel,
): Promise<void> {
  await w.h.establish.execute(
    new EstablishUnionCommand(
      { unionId, parentId, level, name: `Union ${unionId}`, establishedOn: '2024-01-10' },
      w.meta('hq'),
    ),
  );
  await w.project();
}

/**
 * co (COMPANY) ── s1 (SECONDARY_UNIT) ─┬─ b1 (BRIGADE)
 *                                     └─ b2 (BRIGADE)
 * Officers: hq (co), officer-s1 (s1 and below), officer-b1 (b1), officer-b2 (b2).
 */
export async function tree(
  w: OrganisationWorld,
  preset: RulePreset = 'ENTERPRISE_REGULATION',
): Promise<void> {
  await provisioned(w, preset);
  await established(w, 's1', 'co', 'SECONDARY_UNIT');
  await established(w, 'b1', 's1', 'BRIGADE');
  await established(w, 'b2', 's1', 'BRIGADE');
  w.officer('officer-s1', '/co/s1/');
  w.officer('officer-b1', '/co/s1/b1/');
  w.officer('officer-b2', '/co/s1/b2/');
}

export interface RollEntry {
  readonly gender?: 'FEMALE' | 'MALE';
  readonly status?: 'ACTIVE' | 'RETAINED';
}

/** Members imported into a union in one atomic append, joined 2024-02-01. */
export async function imported(
  w: OrganisationWorld,
  unionId: string,
  members: Readonly<Record<string, RollEntry>>,
): Promise<void> {
  const appends = Object.entries(members).map(([memberId, entry]) => {
    const event: MemberImported = {
      type: 'MemberImported',
      data: {
        memberId,
        unionId,
        name: `name-${memberId}`,
        gender: entry.gender ?? 'MALE',
        employeeNo: `E-${memberId}`,
        nationalId: null,
        phone: null,
        joinedOn: '2024-02-01',
        cardNumber: `C-${memberId}`,
        cardNumberGenerated: false,
        status: entry.status ?? 'ACTIVE',
        duesExempt: false,
        duesLiableFrom: '2024-02',
        importedOn: '2024-02-01',
      },
    };
    return {
      streamId: memberStreamId(memberId),
      events: [event],
      expectedVersion: 'no_stream' as const,
    };
  });
  await w.pg.appendToStreams(w.tenantId, appends, { metadata: { actor: 'importer' } });
  await w.project();
}

/** `count` active members m01, m02, …; the first `women` of them female. */
export function roll(count: number, women: number, prefix = 'm'): Record<string, RollEntry> {
  return Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `${prefix}${String(i + 1).padStart(2, '0')}`,
      { gender: i < women ? ('FEMALE' as const) : ('MALE' as const) },
    ]),
  );
}

/** The union is governed by a committee from 2024-03-01 (its parent's officer decides). */
export async function committeeForm(w: OrganisationWorld, unionId: string): Promise<void> {
  await w.h.governance.execute(
    new SetGovernanceFormCommand(
      { unionId, form: 'COMMITTEE', effectiveOn: '2024-03-01' },
      w.meta('hq'),
    ),
  );
  await w.project();
}

/**
 * A committee election in `unionId`: called 2024-03-05, held 2024-03-20 with every expected voter
 * present, approved 2024-03-25 by `approver` (an officer of the parent). Returns the election id.
 */
export async function committeeElected(
  w: OrganisationWorld,
  args: {
    unionId: string;
    seats: number;
    votes: Readonly<Record<string, number>>;
    expectedVoters: number;
    termYears: number;
    approver: string;
  },
): Promise<string> {
  const electionId = `e-${randomUUID()}`;
  const candidateMemberIds = Object.keys(args.votes);
  await w.h.callElection.execute(
    new CallElectionCommand(
      {
        electionId,
        unionId: args.unionId,
        kind: 'COMMITTEE',
        seats: args.seats,
        expectedVoters: args.expectedVoters,
        candidateMemberIds,
        termYears: args.termYears,
        calledOn: '2024-03-05',
      },
      w.meta('officer-b1'),
    ),
  );
  await w.h.recordResult.execute(
    new RecordElectionResultCommand(
      {
        electionId,
        votersPresent: args.expectedVoters,
        tallies: Object.entries(args.votes).map(([memberId, votes]) => ({ memberId, votes })),
        heldOn: '2024-03-20',
      },
      w.meta('officer-b1'),
    ),
  );
  await w.h.approveResult.execute(
    new ApproveElectionResultCommand(
      { electionId, approvedOn: '2024-03-25' },
      w.meta(args.approver),
    ),
  );
  await w.project();
  return electionId;
}

/**
 * The standard tree (enterprise rules), 30 members in b1 (m01-m30, m01-m10 women), governed by a
 * committee of five: m01, m02 (women), m11, m12, m13; a three-year term from 2024-03-25.
 */
export async function seatedBrigade(w: OrganisationWorld): Promise<string> {
  await tree(w);
  await imported(w, 'b1', roll(30, 10));
  await committeeForm(w, 'b1');
  return committeeElected(w, {
    unionId: 'b1',
    seats: 5,
    votes: { m01: 25, m02: 24, m11: 23, m12: 22, m13: 21 },
    expectedVoters: 30,
    termYears: 3,
    approver: 'officer-s1',
  });
}
