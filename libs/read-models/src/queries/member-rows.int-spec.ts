import { randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  membersByIds,
  membersByIdsInOneTrip,
  ProjectionRunner,
  RegistryProjection,
} from '@app/read-models';
import {
  createTestDatabase,
  memberImported,
  unionEstablished,
  type TestDatabase,
} from '@app/testing';

describe('membersByIdsInOneTrip (rm_members_by_ids, one round trip)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it("reads the same rows as the tenant-scoped query, and never another tenant's", async () => {
    const store = new PostgresEventStore(db.appPool);
    const [a, b] = [`a-${randomUUID()}`, `b-${randomUUID()}`];
    for (const t of [a, b]) {
      await store.appendToStream(t, 'union-co', [unionEstablished('co', 'COMPANY', null)]);
      await store.appendToStream(t, 'union-t1', [unionEstablished('t1', 'TEAM', 'co')]);
    }
    await store.appendToStream(a, 'member-m1', [memberImported('m1', 't1', { gender: 'FEMALE' })]);
    await store.appendToStream(a, 'member-m2', [memberImported('m2', 't1')]);
    await store.appendToStream(b, 'member-x1', [memberImported('x1', 't1')]);
    await new ProjectionRunner(store, db.appPool, [new RegistryProjection()]).catchUp();

    const ids = ['m2', 'nobody', 'm1', 'x1'];
    const scoped = await withTenant(db.appPool, a, (c) => membersByIds(c, a, ids), {
      readOnly: true,
    });
    const oneTrip = await membersByIdsInOneTrip(db.appPool, a, ids);
    expect(oneTrip).toEqual(scoped);
    expect(oneTrip.map((m) => m?.id ?? null)).toEqual(['m2', null, 'm1', null]);
    expect(oneTrip[2]).toMatchObject({ unionId: 't1', unionPath: '/co/t1/', gender: 'FEMALE' });
    expect((await membersByIdsInOneTrip(db.appPool, b, ids)).map((m) => m?.id ?? null)).toEqual([
      null,
      null,
      null,
      'x1',
    ]);
    await expect(membersByIdsInOneTrip(db.appPool, '', ids)).rejects.toMatchObject({
      code: 'MISSING_TENANT',
    });

    // the scope checks of one event-loop turn: one statement per tenant, each call its own rows
    const statements = jest.spyOn(db.appPool, 'query');
    try {
      const together = await Promise.all([
        membersByIdsInOneTrip(db.appPool, a, ['m1']),
        membersByIdsInOneTrip(db.appPool, a, ['m2', 'm1', 'x1']),
        membersByIdsInOneTrip(db.appPool, b, ['x1', 'm1']),
      ]);
      expect(statements).toHaveBeenCalledTimes(2);
      expect(together.map((rows) => rows.map((m) => m?.id ?? null))).toEqual([
        ['m1'],
        ['m2', 'm1', null],
        ['x1', null],
      ]);
      expect(together[0][0]).toEqual(oneTrip[2]);
    } finally {
      statements.mockRestore();
    }
  });
});
