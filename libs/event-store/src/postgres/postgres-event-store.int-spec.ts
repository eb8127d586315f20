import { randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { eventStoreContract } from '../event-store.contract';

const ev = (n: number) => ({ type: 'Counted', data: { n } });

describe('PostgresEventStore (real PostgreSQL, application role)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const tenant = () => `tenant-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  const countAll = async () => {
    const { rows } = await db.ownerPool.query<{ n: string }>('SELECT count(*) AS n FROM events');
    return Number(rows[0]!.n);
  };

  eventStoreContract(() => ({ store, countAll }));

  it('reads whole streams asked for in one event-loop turn with one statement per tenant, each call its own answer', async () => {
    const [t1, t2] = [tenant(), tenant()];
    await store.appendToStream(t1, 'member-a', [ev(1), ev(2)]);
    await store.appendToStream(t1, 'settings', [ev(3)]);
    await store.appendToStream(t2, 'member-a', [ev(4)]);
    const statements = jest.spyOn(db.appPool, 'query');
    try {
      const [first, second, plain, other] = await Promise.all([
        store.readStreams(t1, ['member-a', 'settings']),
        store.readStreams(t1, ['member-b', 'settings']),
        store.readStream(t1, 'member-a'),
        store.readStream(t2, 'member-a'),
      ]);
      expect(statements).toHaveBeenCalledTimes(2); // one per tenant
      const data = (r: { events: { data: unknown }[] }) => r.events.map((e) => e.data);
      expect(first.map(data)).toEqual([[{ n: 1 }, { n: 2 }], [{ n: 3 }]]);
      expect(second.map((r) => [r.streamExists, r.currentVersion])).toEqual([
        [false, 0],
        [true, 1],
      ]);
      expect(data(plain)).toEqual([{ n: 1 }, { n: 2 }]);
      expect(data(other)).toEqual([{ n: 4 }]);
      expect(first[1]).not.toBe(second[1]); // the shared stream: an answer of its own for each
      // a read in a later turn sees what was appended meanwhile (nothing is cached)
      await store.appendToStream(t1, 'member-a', [ev(5)], { expectedVersion: 2 });
      expect((await store.readStream(t1, 'member-a')).currentVersion).toBe(3);
    } finally {
      statements.mockRestore();
    }
  });

  it('finds the checkpoint of an append, from memory in this process or by a query', async () => {
    const t = tenant();
    const one = await store.appendToStream(t, 'member-1', [ev(1), ev(2)]);
    const many = await store.appendToStreams(t, [
      { streamId: 'member-2', events: [ev(3)] },
      { streamId: 'member-3', events: [ev(4)] },
    ]);
    for (const written of [one, many]) {
      const expected = { transactionId: written.transactionId, position: written.position };
      expect(await store.checkpointAt(t, written.position)).toEqual(expected);
      // another process (no memory of the append) asks the database
      expect(await new PostgresEventStore(db.appPool).checkpointAt(t, written.position)).toEqual(
        expected,
      );
      // never another tenant's event, remembered or not
      expect(await store.checkpointAt(tenant(), written.position)).toBeUndefined();
    }
    expect(await store.checkpointAt(t, one.position - 1)).toEqual({
      transactionId: one.transactionId,
      position: one.position - 1,
    });
  });

  it('isolates tenants even when a query forgets the tenant filter (row-level security)', async () => {
    const a = tenant();
    const b = tenant();
    await store.appendToStream(a, 'secret', [ev(42)]);
    expect((await store.readStream(b, 'secret')).events).toEqual([]);
    const seenByB = await withTenant(db.appPool, b, async (client) => {
      const { rows } = await client.query<{ tenant_id: string }>('SELECT tenant_id FROM events'); // no WHERE on purpose
      return rows;
    });
    expect(seenByB.filter((r) => r.tenant_id === a)).toEqual([]);
    // no tenant set at all: nothing
    const { rows } = await db.appPool.query('SELECT * FROM events');
    expect(rows).toEqual([]);
    // and the application role cannot write into another tenant's rows or rewrite history
    await expect(
      withTenant(db.appPool, b, (client) =>
        client.query(
          "INSERT INTO events (global_position, tenant_id, stream_id, stream_version, event_id, type, data) VALUES (nextval('events_global_position_seq'), $1, 'x', 1, gen_random_uuid(), 'X', '{}')",
          [a],
        ),
      ),
    ).rejects.toThrow(/row-level security/);
    await expect(
      withTenant(db.appPool, a, (client) => client.query('UPDATE events SET data = $1', ['{}'])),
    ).rejects.toThrow(/permission denied/);
  });
});
