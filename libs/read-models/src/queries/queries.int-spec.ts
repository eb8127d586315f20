import { randomUUID } from 'node:crypto';
import type { Event } from '@app/core';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  childrenOf,
  consecutiveUnpaidMonths,
  membersByIds,
  ProjectionRunner,
  RegistryProjection,
  roster,
  rosterAsOf,
  subordinateUnions,
  unionAsOf,
  unionsByIds,
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
  establishedOn = '2024-01-01',
): Event => unionEstablished(unionId, level, parentId, { name: `n-${unionId}`, establishedOn });
const imported = (
  memberId: string,
  unionId: string,
  gender: string,
  joinedOn: string,
  employeeNo: string,
): Event =>
  memberImported(memberId, unionId, { name: `Name ${memberId}`, gender, joinedOn, employeeNo });

describe('read-model queries', () => {
  let db: TestDatabase;
  const t = `t-${randomUUID()}`;
  const q = <T>(work: Parameters<typeof withTenant<T>>[2]) =>
    withTenant(db.appPool, t, work, { readOnly: true });

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore(db.appPool);
    await store.appendToStream(t, 'union-co', [established('co', 'COMPANY', null)]);
    for (let s = 1; s <= 3; s++) {
      await store.appendToStream(t, `union-s${s}`, [established(`s${s}`, 'SECONDARY_UNIT', 'co')]);
      for (let b = 1; b <= 2; b++) {
        await store.appendToStream(t, `union-s${s}b${b}`, [
          established(`s${s}b${b}`, 'TEAM', `s${s}`, '2025-06-01'),
        ]);
      }
    }
    for (let i = 1; i <= 12; i++) {
      const union = `s${(i % 3) + 1}b${(i % 2) + 1}`;
      await store.appendToStream(t, `member-m${i}`, [
        imported(
          `m${i}`,
          union,
          i % 3 === 0 ? 'FEMALE' : 'MALE',
          i <= 6 ? '2024-03-01' : '2026-03-01',
          `E${String(i).padStart(3, '0')}`,
        ),
      ]);
    }
    await new ProjectionRunner(store, db.appPool, [new RegistryProjection()]).catchUp();
  });
  afterAll(() => db.close());

  it('reads unions by id with stats and ancestors, unknown ids as null', async () => {
    const [co, s1, none] = await q((c) => unionsByIds(c, t, ['co', 's1', 'nope']));
    expect(co).toMatchObject({
      level: 'COMPANY',
      ancestorIds: [],
      stats: { subtreeMembers: 12, subtreeUnions: 9 },
    });
    expect(s1).toMatchObject({ parentId: 'co', ancestorIds: ['co'], version: 1 });
    expect(none).toBeNull();
    const [children] = await q((c) => childrenOf(c, t, ['s2']));
    expect(children!.map((u) => u.id)).toEqual(['s2b1', 's2b2']);
  });

  it('pages every subordinate union in tree order, with level filter and total', async () => {
    const ids: string[] = [];
    let after: string | null = null;
    let total: number;
    for (;;) {
      const page = await q((c) => subordinateUnions(c, t, '/co/', {}, { first: 4, after }));
      ids.push(...page.nodes.map((u) => u.id));
      total = page.totalCount;
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(total).toBe(9);
    expect(ids).toEqual(['s1', 's1b1', 's1b2', 's2', 's2b1', 's2b2', 's3', 's3b1', 's3b2']);
    const teams = await q((c) =>
      subordinateUnions(c, t, '/co/s2/', { level: 'TEAM' }, { first: 10 }),
    );
    expect(teams.nodes.map((u) => u.id)).toEqual(['s2b1', 's2b2']);
  });

  it('lists a roster by union or subtree, searches by prefix, pages without repeats', async () => {
    const all = await q((c) =>
      roster(c, t, { unionId: 'co', unionPath: '/co/', includeSubtree: true }, { first: 5 }),
    );
    expect(all.totalCount).toBe(12);
    expect(all.nodes.map((m) => m.employeeNo)).toEqual(['E001', 'E002', 'E003', 'E004', 'E005']);
    const next = await q((c) =>
      roster(
        c,
        t,
        { unionId: 'co', unionPath: '/co/', includeSubtree: true },
        { first: 50, after: all.endCursor },
      ),
    );
    expect(next.nodes.map((m) => m.employeeNo)[0]).toBe('E006');
    expect(next.nodes).toHaveLength(7);
    const search = await q((c) =>
      roster(
        c,
        t,
        { unionId: 'co', unionPath: '/co/', includeSubtree: true, search: 'E01' },
        { first: 50 },
      ),
    );
    expect(search.nodes.map((m) => m.employeeNo)).toEqual(['E010', 'E011', 'E012']);
    const byName = await q((c) =>
      roster(
        c,
        t,
        { unionId: 'co', unionPath: '/co/', includeSubtree: true, search: 'name m1' },
        { first: 50 },
      ),
    );
    expect(byName.nodes.map((m) => m.id).sort()).toEqual(['m1', 'm10', 'm11', 'm12']);
    const direct = await q((c) =>
      roster(c, t, { unionId: 'co', unionPath: '/co/' }, { first: 50 }),
    );
    expect(direct.totalCount).toBe(0); // nobody on the company's own roll
  });

  it('answers "as of" a past date from the history', async () => {
    const before = await q((c) => unionAsOf(c, t, 'co', '2025-01-01'));
    expect(before?.stats).toEqual({
      members: 0,
      femaleMembers: 0,
      subtreeMembers: 6,
      subtreeFemaleMembers: 2,
    });
    const now = await q((c) => unionAsOf(c, t, 'co', '2026-06-30'));
    expect(now?.stats.subtreeMembers).toBe(12);
    expect(await q((c) => unionAsOf(c, t, 's1b1', '2025-01-01'))).toBeNull(); // established mid-2025
    const page = await q((c) =>
      rosterAsOf(c, t, { unionId: 'co', unionPath: '/co/', includeSubtree: true }, '2025-01-01', {
        first: 100,
      }),
    );
    expect(page.nodes.map((n) => n.memberId).sort()).toEqual(['m1', 'm2', 'm3', 'm4', 'm5', 'm6']);
  });

  it('counts consecutive unpaid months from the last paid period or the liability start', async () => {
    const [m1] = await q((c) => membersByIds(c, t, ['m1']));
    expect(consecutiveUnpaidMonths(m1!, '2024-08')).toBe(6); // liable from 2024-03, nothing paid
    expect(consecutiveUnpaidMonths({ ...m1!, lastPaidPeriod: '2024-07' }, '2024-08')).toBe(1);
    expect(consecutiveUnpaidMonths({ ...m1!, duesExempt: true }, '2024-08')).toBe(0);
  });
});
