import { randomUUID } from 'node:crypto';
import type { Event } from '@app/core';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  ConsistencyTimeoutError,
  ProjectionRunner,
  RegistryProjection,
  type Projection,
} from '@app/read-models';
import {
  createTestDatabase,
  memberImported,
  type TestDatabase,
  unionEstablished,
} from '@app/testing';

const established = (
  unionId: string,
  level: string,
  parentId: string | null,
  name = unionId,
): Event => unionEstablished(unionId, level, parentId, { name });
const imported = (
  memberId: string,
  unionId: string,
  gender: 'FEMALE' | 'MALE',
  joinedOn = '2024-02-01',
): Event => memberImported(memberId, unionId, { gender, joinedOn });

describe('registry projection (union tree, roster, roll-ups, history)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(store, db.appPool, [new RegistryProjection()], {
      batchSize: 500,
    });
  });
  afterAll(() => db.close());

  /** company → 2 secondary units → a brigade each → a team each, all in one tenant. */
  async function tree(tenant: string) {
    await store.appendToStream(tenant, 'union-co', [established('co', 'COMPANY', null)]);
    for (const s of ['s1', 's2']) {
      await store.appendToStream(tenant, `union-${s}`, [established(s, 'SECONDARY_UNIT', 'co')]);
      await store.appendToStream(tenant, `union-${s}b`, [established(`${s}b`, 'BRIGADE', s)]);
      await store.appendToStream(tenant, `union-${s}t`, [established(`${s}t`, 'TEAM', `${s}b`)]);
    }
  }

  const unionRow = (tenant: string, id: string) =>
    withTenant(db.appPool, tenant, async (c) => {
      const { rows } = await c.query<Record<string, unknown>>(
        `SELECT union_id, status, path, own_active, own_female, sub_active, sub_female, sub_retained, sub_active_unions
           FROM rm_unions WHERE union_id = $1`,
        [id],
      );
      return rows[0];
    });

  const snapshot = (tenant: string) =>
    withTenant(db.appPool, tenant, async (c) => ({
      unions: (await c.query('SELECT * FROM rm_unions ORDER BY union_id')).rows,
      members: (await c.query('SELECT * FROM rm_members ORDER BY member_id')).rows,
      memberHistory: (await c.query('SELECT * FROM rm_member_history ORDER BY member_id, position'))
        .rows,
      unionHistory: (await c.query('SELECT * FROM rm_union_history ORDER BY union_id, position'))
        .rows,
    }));

  it('builds the tree with paths and rolls member counts up every ancestor', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    await store.appendToStream(t, 'member-m1', [imported('m1', 's1t', 'FEMALE')]);
    await store.appendToStream(t, 'member-m2', [imported('m2', 's1t', 'MALE')]);
    await store.appendToStream(t, 'member-m3', [imported('m3', 's2t', 'FEMALE')]);
    await runner.catchUp();

    expect(await unionRow(t, 's1t')).toMatchObject({
      path: '/co/s1/s1b/s1t/',
      own_active: 2,
      own_female: 1,
      sub_active: 2,
    });
    expect(await unionRow(t, 's1')).toMatchObject({
      own_active: 0,
      sub_active: 2,
      sub_female: 1,
      sub_active_unions: 2,
    });
    expect(await unionRow(t, 'co')).toMatchObject({
      sub_active: 3,
      sub_female: 2,
      sub_active_unions: 6,
    });
  });

  it('moves counters on both ancestor chains when a member transfers between secondary units', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    await store.appendToStream(t, 'member-m1', [imported('m1', 's1t', 'FEMALE')]);
    await runner.catchUp();
    await store.appendToStream(t, 'member-m1', [
      {
        type: 'MemberTransferStarted',
        data: {
          memberId: 'm1',
          transferId: 'x1',
          fromUnionId: 's1t',
          toUnionId: 's2t',
          toExternal: null,
          requestedOn: '2026-03-01',
        },
      },
    ]);
    await runner.catchUp();
    // counts on the sending union until received
    expect(await unionRow(t, 's1')).toMatchObject({ sub_active: 1, sub_female: 1 });
    expect(await unionRow(t, 's2')).toMatchObject({ sub_active: 0 });
    await store.appendToStream(t, 'member-m1', [
      {
        type: 'MemberTransferCompleted',
        data: {
          memberId: 'm1',
          transferId: 'x1',
          fromUnionId: 's1t',
          toUnionId: 's2t',
          toExternal: null,
          completedOn: '2026-03-10',
        },
      },
    ]);
    await runner.catchUp();
    expect(await unionRow(t, 's1')).toMatchObject({ sub_active: 0, sub_female: 0 });
    expect(await unionRow(t, 's1t')).toMatchObject({ own_active: 0 });
    expect(await unionRow(t, 's2')).toMatchObject({ sub_active: 1, sub_female: 1 });
    expect(await unionRow(t, 's2t')).toMatchObject({ own_active: 1, own_female: 1 });
    expect(await unionRow(t, 'co')).toMatchObject({ sub_active: 1, sub_female: 1 });

    // the roster as of a date before and after the transfer
    const asOf = (date: string, prefix: string) =>
      withTenant(db.appPool, t, async (c) => {
        const { rows } = await c.query<{ member_id: string }>(
          `SELECT member_id FROM rm_member_history
            WHERE union_path LIKE $1 || '%' AND valid_from <= $2 AND (valid_to IS NULL OR valid_to > $2)
              AND status = 'ACTIVE'`,
          [prefix, date],
        );
        return rows.map((r) => r.member_id);
      });
    expect(await asOf('2026-03-09', '/co/s1/')).toEqual(['m1']);
    expect(await asOf('2026-03-09', '/co/s2/')).toEqual([]);
    expect(await asOf('2026-03-10', '/co/s2/')).toEqual(['m1']);
    expect(await asOf('2024-01-15', '/co/')).toEqual([]); // before joining
  });

  it('takes a dissolved union out of its ancestors’ active-union counts', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    await store.appendToStream(t, 'union-s2t', [
      {
        type: 'UnionDissolved',
        data: {
          unionId: 's2t',
          reason: 'UNIT_TERMINATED',
          adminDecisionRef: 'D-1',
          filedWithUnionId: 's2b',
          dissolvedOn: '2026-05-01',
        },
      },
    ]);
    await runner.catchUp();
    expect(await unionRow(t, 's2t')).toMatchObject({ status: 'DISSOLVED' });
    expect(await unionRow(t, 's2')).toMatchObject({ sub_active_unions: 1 });
    expect(await unionRow(t, 'co')).toMatchObject({ sub_active_unions: 5 });
  });

  it('folds payments alone or beside other events of the member to the same row', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    const paid = (memberId: string, period: string): Event => ({
      type: 'DuesPaid',
      data: {
        memberId,
        unionId: 's1t',
        period,
        wageBaseFen: 500_000,
        expectedFen: 2_500,
        amountFen: 2_500,
        paidOn: `${period}-25`,
        source: 'PAYROLL',
      },
    });
    const corrected = (memberId: string, period: string): Event => ({
      type: 'DuesPaymentCorrected',
      data: {
        memberId,
        unionId: 's1t',
        period,
        wageBaseFen: 500_000,
        expectedFen: 2_500,
        amountFen: 2_000,
        previousAmountFen: 2_500,
        correctedOn: '2024-06-30',
        reason: 'typo',
      },
    });
    // a: payments beside another event (full fold); b: payments only (coalesced UPDATE)
    await store.appendToStream(t, 'member-a', [imported('a', 's1t', 'MALE')]);
    await store.appendToStream(t, 'member-b', [imported('b', 's1t', 'MALE')]);
    await runner.catchUp();
    for (const id of ['a', 'b'])
      await store.appendToStream(t, `member-${id}`, [paid(id, '2024-03'), paid(id, '2024-02')]);
    // an event that is not a payment in the same batch sends a's payments through the full fold
    await store.appendToStream(t, 'member-a', [
      {
        type: 'ArrearsEducationRecorded',
        data: {
          memberId: 'a',
          unionId: 's1t',
          educatedOn: '2024-04-02',
          unpaidMonths: 1,
          unpaidSince: '2024-01',
          note: null,
        },
      },
    ]);
    await runner.catchUp();
    for (const id of ['a', 'b'])
      await store.appendToStream(t, `member-${id}`, [corrected(id, '2024-02')]);
    await runner.catchUp();
    const rows = await withTenant(db.appPool, t, async (c) => {
      const { rows } = await c.query<{
        member_id: string;
        last_paid_period: string;
        version: number;
      }>(
        "SELECT member_id, last_paid_period, version FROM rm_members WHERE member_id IN ('a', 'b') ORDER BY member_id",
      );
      return rows;
    });
    expect(rows).toEqual([
      { member_id: 'a', last_paid_period: '2024-03', version: 5 },
      { member_id: 'b', last_paid_period: '2024-03', version: 4 },
    ]);
    const live = await snapshot(t);
    await runner.reset('registry');
    await runner.catchUp();
    expect(await snapshot(t)).toEqual(live);
  });

  it('changes nothing when the same batch is applied twice', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    await store.appendToStream(t, 'member-m1', [imported('m1', 's1t', 'FEMALE')]);
    await runner.catchUp();
    const before = await snapshot(t);
    const { events } = await store.readAll({ tenantId: t, limit: 1000 });
    const projection = new RegistryProjection();
    await withTenant(db.appPool, t, (client) => projection.apply(client, { tenantId: t, events }));
    await withTenant(db.appPool, t, (client) => projection.apply(client, { tenantId: t, events }));
    expect(await snapshot(t)).toEqual(before);
  });

  it('writes nothing of a batch whose transaction fails, and counts it once when retried', async () => {
    const t = `t-${randomUUID()}`;
    const real = new RegistryProjection();
    let failNext = true;
    const flaky: Projection = {
      name: `flaky-${randomUUID()}`,
      tables: real.tables,
      apply: async (client, batch) => {
        await real.apply(client, batch); // the writes happen, then the "crash" before the checkpoint
        if (failNext && batch.tenantId === t) throw new Error('simulated crash');
      },
    };
    const flakyRunner = new ProjectionRunner(store, db.appPool, [flaky]);
    await flakyRunner.catchUp(); // everyone else's events first
    await tree(t);
    await store.appendToStream(t, 'member-m1', [imported('m1', 's1t', 'FEMALE')]);
    await expect(flakyRunner.catchUp()).rejects.toThrow(/simulated crash/);
    failNext = false;
    await flakyRunner.catchUp();
    // the flaky runner shares the tables with the main one: compare against the main runner's own pass
    expect(await unionRow(t, 'co')).toMatchObject({ sub_active: 1, sub_female: 1 });
    await runner.catchUp(); // the main runner applies the same events: skipped by last_position
    expect(await unionRow(t, 'co')).toMatchObject({ sub_active: 1, sub_female: 1 });
  });

  it('never double-applies a batch when two runners race for the same projection', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    for (let i = 0; i < 30; i++)
      await store.appendToStream(t, `member-r${i}`, [
        imported(`r${i}`, 's2t', i % 2 ? 'MALE' : 'FEMALE'),
      ]);
    const other = new ProjectionRunner(store, db.appPool, [new RegistryProjection()], {
      batchSize: 7,
    });
    const mine = new ProjectionRunner(store, db.appPool, [new RegistryProjection()], {
      batchSize: 7,
    });
    await Promise.allSettled([other.catchUp(), mine.catchUp()]);
    await runner.catchUp();
    expect(await unionRow(t, 'co')).toMatchObject({ sub_active: 30, sub_female: 15 });
  });

  it('rebuilds to exactly the live state', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    await store.appendToStream(t, 'member-m1', [imported('m1', 's1t', 'FEMALE')]);
    await store.appendToStream(t, 'member-m2', [imported('m2', 's2t', 'MALE')]);
    await store.appendToStream(t, 'member-m2', [
      {
        type: 'MembershipRetained',
        data: {
          memberId: 'm2',
          unionId: 's2t',
          retainedOn: '2026-06-01',
          reason: 'RETIREMENT',
          duesExemptFrom: '2026-06',
          note: null,
        },
      },
    ]);
    await runner.catchUp();
    const live = await snapshot(t);
    expect(live.unions.find((u) => u.union_id === 'co')).toMatchObject({
      sub_active: 1,
      sub_retained: 1,
    });
    await runner.reset('registry');
    await runner.catchUp();
    expect(await snapshot(t)).toEqual(live);
  });

  it('waits for read-your-writes, and times out with a clear error', async () => {
    const t = `t-${randomUUID()}`;
    await tree(t);
    const { position } = await store.appendToStream(t, 'member-w', [imported('w', 's1t', 'MALE')]);
    await expect(runner.waitFor(t, position, 100)).rejects.toBeInstanceOf(ConsistencyTimeoutError);
    const waiting = runner.waitFor(t, position, 5_000);
    await runner.catchUp();
    await expect(waiting).resolves.toBeUndefined();
  });

  it('keeps a dependent projection behind the projection it reads from', async () => {
    const t = `t-${randomUUID()}`;
    const seen: number[] = [];
    const dependent: Projection = {
      name: `dependent-${randomUUID()}`,
      tables: [],
      dependsOn: ['registry'],
      apply: (_client, batch) => {
        seen.push(...batch.events.map((e) => e.globalPosition));
        return Promise.resolve();
      },
    };
    const both = new ProjectionRunner(store, db.appPool, [dependent]);
    await runner.catchUp();
    await both.catchUp();
    const { position } = await store.appendToStream(t, 'union-x', [
      established('x', 'COMPANY', null),
    ]);
    // registry has not applied it yet: the dependent one does not move
    expect(await both.step(dependent.name)).toBe(0);
    expect(seen).not.toContain(position);
    await runner.catchUp();
    await both.catchUp();
    expect(seen).toContain(position);
  });
});
