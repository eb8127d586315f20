import { randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  duesPeriods,
  duesReport,
  DuesProjection,
  DuesQueryError,
  ProjectionRunner,
  RegistryProjection,
  type DuesPeriodRow,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { corrected, imported, paid, payroll, transferred, tree, withdrew } from './dues.fixtures';

/** A month of the report: period, paid fen, paying members, unpaid members. */
const month = (period: string, paidFen: number, paying: number, unpaid: number): DuesPeriodRow => ({
  period,
  expectedFen: paidFen,
  paidFen,
  payingMembers: paying,
  unpaidMembers: unpaid,
});

describe('dues projection (ledger, monthly roll-ups over the subtree)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(
      store,
      db.appPool,
      [new RegistryProjection(), new DuesProjection()],
      { batchSize: 500 },
    );
  });
  afterAll(() => db.close());

  const report = (t: string, unionId: string, from: string, to: string) =>
    duesReport(db.appPool, t, unionId, from, to);

  const snapshot = (t: string) =>
    withTenant(db.appPool, t, async (c) => {
      const all = async (table: string, order: string) =>
        (await c.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${order}`)).rows;
      return {
        members: await all('rm_dues_members', 'member_id'),
        holes: await all('rm_dues_holes', 'member_id, hole_from'),
        ledger: await all('rm_dues_ledger', 'member_id, period'),
        periods: await all('rm_dues_union_period', 'union_id, period'),
        imports: await all('rm_dues_imports', 'union_id, period, position'),
      };
    });

  it('rolls payments up to the team, brigade, secondary unit and company for their months', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await store.appendToStream(t, 'member-m1', [imported('m1', 's1t', '2026-01')]);
    await store.appendToStream(t, 'member-m2', [imported('m2', 's1t', '2026-01')]);
    await store.appendToStream(t, 'member-m3', [imported('m3', 's2t', '2026-01')]);
    await store.appendToStream(t, 'member-m1', [
      paid('m1', 's1t', '2026-01'),
      paid('m1', 's1t', '2026-02', 1725, 'PAYMENT'),
    ]);
    await store.appendToStream(t, 'member-m2', [paid('m2', 's1t', '2026-01', 2835)]);
    await store.appendToStream(t, 'member-m3', [paid('m3', 's2t', '2026-02', 1000)]);
    await store.appendToStream(t, 'dues-payroll-s1-2026-01', [payroll('s1', '2026-01', 2, 4560)]);
    await runner.catchUp();

    const s1Branch = [
      month('2025-12', 0, 0, 0),
      month('2026-01', 4560, 2, 0),
      month('2026-02', 1725, 1, 1),
      month('2026-03', 0, 0, 2),
    ];
    for (const unionId of ['s1t', 's1b', 's1'])
      expect(await report(t, unionId, '2025-12', '2026-03')).toEqual(s1Branch);
    expect(await report(t, 's2', '2026-01', '2026-03')).toEqual([
      month('2026-01', 0, 0, 1),
      month('2026-02', 1000, 1, 0),
      month('2026-03', 0, 0, 1),
    ]);
    expect(await report(t, 'co', '2026-01', '2026-03')).toEqual([
      month('2026-01', 4560, 2, 1),
      month('2026-02', 2725, 2, 1),
      month('2026-03', 0, 0, 3),
    ]);
    // a single month, far after the last activity: everyone liable, nobody paid
    expect(await report(t, 'co', '2027-06', '2027-06')).toEqual([month('2027-06', 0, 0, 3)]);

    // the same months for many unions in one statement (live dashboards), unknown ids as zeros
    const unions = ['co', 's1', 's1b', 's1t', 's2', 's2t', 'nowhere'];
    for (const period of ['2025-12', '2026-01', '2026-02', '2026-03', '2027-06']) {
      const batch = await duesPeriods(db.appPool, t, unions, period);
      for (const unionId of unions.slice(0, -1))
        expect(batch.get(unionId)).toEqual((await report(t, unionId, period, period))[0]);
      expect(batch.get('nowhere')).toEqual(month(period, 0, 0, 0));
    }

    await withTenant(db.appPool, t, async (c) => {
      const ledger = await c.query(
        `SELECT union_id, expected_fen, paid_fen, source, to_char(paid_on, 'YYYY-MM-DD') AS paid_on
           FROM rm_dues_ledger WHERE member_id = 'm1' ORDER BY period`,
      );
      expect(ledger.rows).toEqual([
        {
          union_id: 's1t',
          expected_fen: '1725',
          paid_fen: '1725',
          source: 'PAYROLL',
          paid_on: '2026-01-25',
        },
        {
          union_id: 's1t',
          expected_fen: '1725',
          paid_fen: '1725',
          source: 'PAYMENT',
          paid_on: '2026-02-25',
        },
      ]);
      const own = await c.query(
        `SELECT union_id, own_paying, sub_paying FROM rm_dues_union_period
          WHERE period = '2026-01' AND union_id IN ('s1', 's1t') ORDER BY union_id`,
      );
      expect(own.rows).toEqual([
        { union_id: 's1', own_paying: 0, sub_paying: 2 },
        { union_id: 's1t', own_paying: 2, sub_paying: 2 },
      ]);
      const imports = await c.query(
        'SELECT union_id, period, row_count, accepted, total_fen FROM rm_dues_imports',
      );
      expect(imports.rows).toEqual([
        { union_id: 's1', period: '2026-01', row_count: 3, accepted: 2, total_fen: '4560' },
      ]);
    });
  });

  it('changes the amounts of a corrected month without counting it twice', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await store.appendToStream(t, 'member-m1', [
      imported('m1', 's1t', '2026-01'),
      paid('m1', 's1t', '2026-01', 1725),
    ]);
    await runner.catchUp();
    await store.appendToStream(t, 'member-m1', [corrected('m1', 's1t', '2026-01', 2000, 1725)]);
    await runner.catchUp();
    for (const unionId of ['s1t', 'co'])
      expect(await report(t, unionId, '2026-01', '2026-01')).toEqual([
        month('2026-01', 2000, 1, 0),
      ]);
    await withTenant(db.appPool, t, async (c) => {
      const { rows } = await c.query(
        `SELECT paid_fen, corrections, to_char(corrected_on, 'YYYY-MM-DD') AS corrected_on
           FROM rm_dues_ledger WHERE member_id = 'm1'`,
      );
      expect(rows).toEqual([{ paid_fen: '2000', corrections: 1, corrected_on: '2026-11-02' }]);
    });
  });

  it('changes nothing when the same batch is applied twice', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await store.appendToStream(t, 'member-m1', [
      imported('m1', 's1t', '2026-01'),
      paid('m1', 's1t', '2026-01'),
      paid('m1', 's1t', '2026-04'),
      corrected('m1', 's1t', '2026-01', 1800, 1725),
      transferred('m1', 's1t', 's2t', '2026-05-03'),
    ]);
    await store.appendToStream(t, 'dues-payroll-s1-2026-01', [payroll('s1', '2026-01', 1, 1725)]);
    await runner.catchUp();
    const before = await snapshot(t);
    expect(before.holes).toHaveLength(1);
    const { events } = await store.readAll({ tenantId: t, limit: 1000 });
    const projection = new DuesProjection();
    await withTenant(db.appPool, t, (client) => projection.apply(client, { tenantId: t, events }));
    await withTenant(db.appPool, t, (client) => projection.apply(client, { tenantId: t, events }));
    expect(await snapshot(t)).toEqual(before);
  });

  it('moves later months to the new union on a transfer and leaves paid months where they were paid', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await store.appendToStream(t, 'member-m1', [
      imported('m1', 's1t', '2026-01'),
      paid('m1', 's1t', '2026-01'),
      paid('m1', 's1t', '2026-02'),
      // March paid through the old union before the transfer completed in March
      paid('m1', 's1t', '2026-03'),
    ]);
    await runner.catchUp(); // the transfer comes in a later batch: March's liability moves
    await store.appendToStream(t, 'member-m1', [
      transferred('m1', 's1t', 's2t', '2026-03-20'),
      paid('m1', 's2t', '2026-04'),
    ]);
    await runner.catchUp();
    expect(await report(t, 's1', '2026-01', '2026-05')).toEqual([
      month('2026-01', 1725, 1, 0),
      month('2026-02', 1725, 1, 0),
      month('2026-03', 1725, 1, 0),
      month('2026-04', 0, 0, 0),
      month('2026-05', 0, 0, 0),
    ]);
    expect(await report(t, 's2', '2026-01', '2026-05')).toEqual([
      month('2026-01', 0, 0, 0),
      month('2026-02', 0, 0, 0),
      month('2026-03', 0, 0, 0), // liable here, and paid (through s1): not unpaid
      month('2026-04', 1725, 1, 0),
      month('2026-05', 0, 0, 1),
    ]);
    expect(await report(t, 'co', '2026-03', '2026-05')).toEqual([
      month('2026-03', 1725, 1, 0),
      month('2026-04', 1725, 1, 0),
      month('2026-05', 0, 0, 1),
    ]);
  });

  it('stops counting a member as unpaid from the month of withdrawal', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await store.appendToStream(t, 'member-m1', [
      imported('m1', 's2t', '2026-01'),
      paid('m1', 's2t', '2026-01'),
      withdrew('m1', 's2t', '2026-03-15'),
    ]);
    await runner.catchUp();
    expect(await report(t, 's2b', '2026-01', '2026-04')).toEqual([
      month('2026-01', 1725, 1, 0),
      month('2026-02', 0, 0, 1),
      month('2026-03', 0, 0, 0),
      month('2026-04', 0, 0, 0),
    ]);
  });

  it('rebuilds to exactly the live state, whatever the batch size', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    for (const id of ['a', 'b', 'c']) {
      await store.appendToStream(t, `member-${id}`, [
        imported(id, id === 'c' ? 's2t' : 's1t', '2025-11'),
        paid(id, id === 'c' ? 's2t' : 's1t', '2026-02'),
      ]);
    }
    await store.appendToStream(t, 'member-a', [
      paid('a', 's1t', '2025-12'),
      transferred('a', 's1t', 's2t', '2026-03-01'),
      corrected('a', 's2t', '2026-02', 1900, 1725),
    ]);
    await runner.catchUp();
    const live = await snapshot(t);
    const small = new ProjectionRunner(
      store,
      db.appPool,
      [new RegistryProjection(), new DuesProjection()],
      { batchSize: 3 },
    );
    await small.reset('dues');
    await small.catchUp();
    expect(await snapshot(t)).toEqual(live);
  });

  it('rebuild(), which keeps members and holes in memory across batches, writes exactly the live rows', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    for (const id of ['a', 'b', 'c', 'd']) {
      const union = id === 'c' ? 's2t' : 's1t';
      await store.appendToStream(t, `member-${id}`, [
        imported(id, union, '2025-10'),
        paid(id, union, '2025-10'),
      ]);
    }
    // holes opened by later months, one paid into, a correction, a transfer, a withdrawal
    await store.appendToStream(t, 'member-a', [paid('a', 's1t', '2026-02')]);
    await store.appendToStream(t, 'member-b', [paid('b', 's1t', '2026-01')]);
    await store.appendToStream(t, 'member-a', [paid('a', 's1t', '2025-12')]);
    await store.appendToStream(t, 'member-c', [paid('c', 's2t', '2026-03', 1000)]);
    await store.appendToStream(t, 'member-a', [
      transferred('a', 's1t', 's2t', '2026-03-01'),
      corrected('a', 's2t', '2026-02', 1900, 1725),
    ]);
    await store.appendToStream(t, 'member-b', [withdrew('b', 's1t', '2026-02-10')]);
    await store.appendToStream(t, 'member-d', [paid('d', 's1t', '2025-11')]);
    await store.appendToStream(t, 'member-c', [paid('c', 's2t', '2025-11', 1000)]);
    await runner.catchUp();
    const live = await snapshot(t);
    expect(live.holes.length).toBeGreaterThan(0);
    for (const rebuildBatchSize of [1, 2, 5]) {
      const rebuilder = new ProjectionRunner(
        store,
        db.appPool,
        [new RegistryProjection(), new DuesProjection()],
        { rebuildBatchSize },
      );
      await rebuilder.rebuild();
      expect({ rebuildBatchSize, rows: await snapshot(t) }).toEqual({
        rebuildBatchSize,
        rows: live,
      });
    }
  });

  it('rejects malformed periods, reversed ranges and unknown unions with typed errors', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await runner.catchUp();
    await expect(report(t, 'co', '2026-13', '2026-12')).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
      kind: 'INVALID_INPUT',
    });
    await expect(report(t, 'co', '2026-1', '2026-12')).rejects.toBeInstanceOf(DuesQueryError);
    await expect(report(t, 'co', '2026-05', '2026-04')).rejects.toMatchObject({
      code: 'INVALID_PERIOD_RANGE',
    });
    await expect(report(t, 'nope', '2026-01', '2026-02')).rejects.toMatchObject({
      code: 'UNION_NOT_FOUND',
      kind: 'NOT_FOUND',
    });
  });
});
