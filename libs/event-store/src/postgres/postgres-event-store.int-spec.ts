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
