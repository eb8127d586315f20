import { randomUUID } from 'node:crypto';
import { addMonthsToPeriod } from '@app/core';
import { PostgresEventStore } from '@app/event-store';
import {
  arrears,
  arrearsCount,
  arrearsCounts,
  arrearsCountsWithChildren,
  DuesProjection,
  ProjectionRunner,
  RegistryProjection,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  imported,
  internallyRetired,
  paid,
  retained,
  transferred,
  tree,
  withdrew,
} from './dues.fixtures';

describe('arrears (consecutive unpaid months up to a month)', () => {
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
      { batchSize: 50 },
    );
  });
  afterAll(() => db.close());

  const ids = async (t: string, unionId: string, minMonths: number, upToPeriod: string) =>
    (await arrears(db.appPool, t, unionId, { minMonths, upToPeriod })).nodes.map((n) => [
      n.memberId,
      n.consecutiveUnpaidMonths,
    ]);

  /** Members with known runs up to 2026-06 (liable from the month given). */
  async function members(t: string) {
    await tree(store, t);
    // six unpaid months 2026-01..06
    await store.appendToStream(t, 'member-six', [imported('six', 's1t', '2026-01')]);
    // paid January: five unpaid months 2026-02..06
    await store.appendToStream(t, 'member-five', [
      imported('five', 's2t', '2026-01'),
      paid('five', 's2t', '2026-01'),
    ]);
    // retained and internally retired: exempt, never in arrears however long unpaid
    await store.appendToStream(t, 'member-ret', [
      imported('ret', 's1t', '2025-01', { status: 'RETAINED' }),
    ]);
    await store.appendToStream(t, 'member-ret2', [
      imported('ret2', 's1t', '2025-01'),
      retained('ret2', 's1t', '2026-03'),
    ]);
    await store.appendToStream(t, 'member-irs', [
      imported('irs', 's2t', '2025-01'),
      internallyRetired('irs', 's2t', '2026-02'),
    ]);
    // paid up to 2025-12, nothing in 2026-01..06, then paid July: in arrears as of June only
    await store.appendToStream(t, 'member-late', [
      imported('late', 's2t', '2025-06'),
      ...['2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12'].map((p) =>
        paid('late', 's2t', p),
      ),
      paid('late', 's2t', '2026-07'),
    ]);
    // withdrew: left, not in arrears
    await store.appendToStream(t, 'member-gone', [
      imported('gone', 's1t', '2025-01'),
      withdrew('gone', 's1t', '2026-05-02'),
    ]);
    // transferred s1 → s2 in March, unpaid since 2025-12: one run across both unions
    await store.appendToStream(t, 'member-moved', [
      imported('moved', 's1t', '2025-10'),
      paid('moved', 's1t', '2025-10'),
      paid('moved', 's1t', '2025-11'),
      transferred('moved', 's1t', 's2t', '2026-03-05'),
    ]);
    await runner.catchUp();
  }

  it('lists 6 unpaid months at the threshold of 6 and leaves 5 out, longest run first', async () => {
    const t = `t-${randomUUID()}`;
    await members(t);
    expect(await ids(t, 'co', 6, '2026-06')).toEqual([
      ['moved', 7],
      ['late', 6],
      ['six', 6],
    ]);
    expect(await ids(t, 'co', 5, '2026-06')).toEqual([
      ['moved', 7],
      ['late', 6],
      ['six', 6],
      ['five', 5],
    ]);
    expect(await ids(t, 'co', 7, '2026-06')).toEqual([['moved', 7]]);
    // a month earlier, 'six' had five months and 'five' four
    expect(await ids(t, 'co', 6, '2026-05')).toEqual([['moved', 6]]);
    // July: 'late' paid, 'six' reaches seven
    expect(await ids(t, 'co', 6, '2026-07')).toEqual([
      ['moved', 8],
      ['six', 7],
      ['five', 6],
    ]);
  });

  it('ends arrears as of a past month when that month is paid late', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await store.appendToStream(t, 'member-back', [
      imported('back', 's1t', '2025-06'),
      paid('back', 's1t', '2025-06'),
      paid('back', 's1t', '2026-07'),
    ]);
    await runner.catchUp();
    expect(await ids(t, 'co', 6, '2026-06')).toEqual([['back', 12]]);
    // January 2026 paid late: the run up to June is now February..June
    await store.appendToStream(t, 'member-back', [paid('back', 's1t', '2026-01')]);
    await runner.catchUp();
    expect(await ids(t, 'co', 6, '2026-06')).toEqual([]);
    expect(await ids(t, 'co', 5, '2026-06')).toEqual([['back', 5]]);
    expect(await ids(t, 'co', 6, '2025-12')).toEqual([['back', 6]]);
  });

  it('never lists exempt (retained, internally retired) or departed members', async () => {
    const t = `t-${randomUUID()}`;
    await members(t);
    const listed = (await arrears(db.appPool, t, 'co', { minMonths: 1, upToPeriod: '2030-01' }))
      .nodes;
    expect(listed.map((n) => n.memberId).sort()).toEqual(['five', 'late', 'moved', 'six']);
  });

  it('keeps to the subtree and counts per union in one statement', async () => {
    const t = `t-${randomUUID()}`;
    await members(t);
    expect(await ids(t, 's1', 6, '2026-06')).toEqual([['six', 6]]);
    expect(await ids(t, 's2b', 6, '2026-06')).toEqual([
      ['moved', 7],
      ['late', 6],
    ]);
    const criteria = { minMonths: 6, upToPeriod: '2026-06' };
    expect(await arrearsCount(db.appPool, t, 'co', criteria)).toBe(3);
    const counts = await arrearsCounts(
      db.appPool,
      t,
      ['co', 's1', 's1t', 's2', 's2t', 'x'],
      criteria,
    );
    expect(Object.fromEntries(counts)).toEqual({ co: 3, s1: 1, s1t: 1, s2: 2, s2t: 2, x: 0 });
    // a union and its children in one statement: the same figures as counted one by one
    const levels = await arrearsCountsWithChildren(db.appPool, t, ['co', 'x'], criteria);
    expect([...levels.keys()]).toEqual(expect.arrayContaining(['co', 's1', 's2', 'x']));
    expect(levels.has('s1t')).toBe(false); // a grandchild is not a child
    const oneByOne = await arrearsCounts(db.appPool, t, [...levels.keys()], criteria);
    expect(Object.fromEntries(levels)).toEqual(Object.fromEntries(oneByOne));
    const page = await arrears(db.appPool, t, 's2t', criteria);
    expect(page.totalCount).toBe(2);
    expect(page.nodes[0]).toEqual({
      memberId: 'moved',
      unionId: 's2t',
      name: 'name-moved',
      gender: 'FEMALE',
      employeeNo: 'E-moved',
      cardNumber: 'C-moved',
      joinedOn: '2025-10-01',
      lastPaidPeriod: '2025-11',
      unpaidSince: '2025-12',
      consecutiveUnpaidMonths: 7,
    });
  });

  it('pages through everyone exactly once with first/after', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    const expected: string[] = [];
    for (let i = 0; i < 23; i++) {
      const id = `p${String(i).padStart(2, '0')}`;
      const liableFrom = addMonthsToPeriod('2025-01', i % 4); // runs of 15 to 18 months, with ties
      await store.appendToStream(t, `member-${id}`, [
        imported(id, i % 2 ? 's1t' : 's2b', liableFrom),
      ]);
      expected.push(id);
    }
    await store.appendToStream(t, 'member-payer', [
      imported('payer', 's1t', '2026-01'),
      paid('payer', 's1t', '2026-01'),
      paid('payer', 's1t', '2026-02'),
      paid('payer', 's1t', '2026-03'),
    ]);
    await runner.catchUp();
    const seen: string[] = [];
    const runs: number[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page = await arrears(db.appPool, t, 'co', {
        minMonths: 6,
        upToPeriod: '2026-03',
        first: 5,
        after,
      });
      pages += 1;
      expect(page.totalCount).toBe(23);
      seen.push(...page.nodes.map((n) => n.memberId));
      runs.push(...page.nodes.map((n) => n.consecutiveUnpaidMonths));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(pages).toBe(5);
    expect(new Set(seen).size).toBe(23);
    expect([...seen].sort()).toEqual(expected);
    expect(runs).toEqual([...runs].sort((a, b) => b - a)); // longest first
  });

  it('pages through closed runs (holes) and trailing runs merged in one order', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    for (let i = 0; i < 7; i++) {
      const start = addMonthsToPeriod('2025-01', i % 3);
      // odd: a run closed by a later payment (a hole as of 2026-06); even: still unpaid
      const later = i % 2 ? [paid(`h${i}`, 's1t', '2026-07')] : [];
      await store.appendToStream(t, `member-h${i}`, [
        imported(`h${i}`, i % 2 ? 's1t' : 's2t', start),
        paid(`h${i}`, i % 2 ? 's1t' : 's2t', start),
        ...later,
      ]);
    }
    await runner.catchUp();
    const ask = (first: number, after: string | null) =>
      arrears(db.appPool, t, 'co', { minMonths: 6, upToPeriod: '2026-06', first, after });
    const whole = await ask(50, null);
    expect(whole.totalCount).toBe(7);
    const order = whole.nodes.map((n) => `${n.unpaidSince} ${n.memberId}`);
    expect(order).toEqual([...order].sort());
    // both branches are on the list
    expect(whole.nodes.map((n) => n.memberId)).toEqual(expect.arrayContaining(['h1', 'h2']));
    for (const size of [1, 2, 3]) {
      const seen: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await ask(size, after);
        expect(page.nodes.length).toBeLessThanOrEqual(size);
        seen.push(...page.nodes.map((n) => n.memberId));
        if (!page.pageInfo.hasNextPage) break;
        after = page.pageInfo.endCursor;
      }
      expect({ size, seen }).toEqual({ size, seen: whole.nodes.map((n) => n.memberId) });
    }
  });

  it('rejects bad criteria and cursors with typed errors', async () => {
    const t = `t-${randomUUID()}`;
    await tree(store, t);
    await runner.catchUp();
    const ask = (request: {
      minMonths: number;
      upToPeriod: string;
      first?: number;
      after?: string;
    }) => arrears(db.appPool, t, 'co', request);
    await expect(ask({ minMonths: 6, upToPeriod: '2026/06' })).rejects.toMatchObject({
      code: 'INVALID_PERIOD',
    });
    await expect(ask({ minMonths: 0, upToPeriod: '2026-06' })).rejects.toMatchObject({
      code: 'INVALID_MIN_MONTHS',
    });
    await expect(ask({ minMonths: 6, upToPeriod: '2026-06', first: -1 })).rejects.toMatchObject({
      code: 'INVALID_PAGE_SIZE',
    });
    await expect(
      ask({ minMonths: 6, upToPeriod: '2026-06', after: 'garbage' }),
    ).rejects.toMatchObject({ code: 'INVALID_CURSOR', kind: 'INVALID_INPUT' });
    await expect(
      arrears(db.appPool, t, 'missing', { minMonths: 6, upToPeriod: '2026-06' }),
    ).rejects.toMatchObject({ code: 'UNION_NOT_FOUND' });
  });
});
