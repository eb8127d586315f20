import { randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { ConcurrencyError, PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { eventStoreContract } from '../event-store.contract';
import { MAX_BATCH_ITEMS } from './append-batches';

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

  /** Statements sent by the store's pool while `work` runs. */
  async function counted<T>(work: () => Promise<T>): Promise<{ result: T; statements: number }> {
    const spy = jest.spyOn(db.appPool, 'query');
    try {
      const result = await work();
      return { result, statements: spy.mock.calls.length };
    } finally {
      spy.mockRestore();
    }
  }

  it('reads whole streams asked for in one event-loop turn with one statement per tenant, each call its own answer', async () => {
    const [t1, t2] = [tenant(), tenant()];
    await store.appendToStream(t1, 'member-a', [ev(1), ev(2)]);
    await store.appendToStream(t1, 'settings', [ev(3)]);
    await store.appendToStream(t2, 'member-a', [ev(4)]);
    const {
      result: [first, second, plain, other],
      statements,
    } = await counted(() =>
      Promise.all([
        store.readStreams(t1, ['member-a', 'settings']),
        store.readStreams(t1, ['member-b', 'settings']),
        store.readStream(t1, 'member-a'),
        store.readStream(t2, 'member-a'),
      ]),
    );
    expect(statements).toBe(2); // one per tenant
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

  /** Group commit: the single-stream appends of one event-loop turn in one statement. */
  describe('appends of one event-loop turn (es_append_batch)', () => {
    const versions = async (t: string, stream: string) =>
      (await store.readStream(t, stream)).events.map((e) => [e.streamVersion, e.data]);

    it('lands every append of the turn with one statement, across tenants and streams', async () => {
      const [t1, t2] = [tenant(), tenant()];
      await store.appendToStream(t1, 'member-b', [ev(0)]);
      const { result, statements } = await counted(() =>
        Promise.all([
          store.appendToStream(t1, 'member-b', [ev(1)], { expectedVersion: 1 }),
          store.appendToStream(t1, 'member-a', [ev(2), ev(3)], { expectedVersion: 'no_stream' }),
          store.appendToStream(t2, 'member-a', [ev(4)]),
        ]),
      );
      expect(statements).toBe(1);
      expect(result.map((r) => [r.nextVersion, r.duplicate])).toEqual([
        [2, false],
        [2, false],
        [1, false],
      ]);
      expect(new Set(result.map((r) => r.position)).size).toBe(3);
      expect(new Set(result.map((r) => r.transactionId)).size).toBe(1); // one commit
      expect(await versions(t1, 'member-b')).toEqual([
        [1, { n: 0 }],
        [2, { n: 1 }],
      ]);
      expect(await versions(t1, 'member-a')).toEqual([
        [1, { n: 2 }],
        [2, { n: 3 }],
      ]);
      expect(await versions(t2, 'member-a')).toEqual([[1, { n: 4 }]]);
    });

    it('fails only the item whose expected version is stale, with the error a lone append gives', async () => {
      const t = tenant();
      await store.appendToStream(t, 'member-a', [ev(1), ev(2)]);
      const outcomes = await Promise.allSettled([
        store.appendToStream(t, 'member-a', [ev(3)], { expectedVersion: 1 }),
        store.appendToStream(t, 'member-b', [ev(4)], { expectedVersion: 'no_stream' }),
        store.appendToStream(t, 'member-c', [ev(5)], { expectedVersion: 'stream_exists' }),
      ]);
      expect(outcomes[0]).toMatchObject({
        status: 'rejected',
        reason: { code: 'CONCURRENCY_CONFLICT', streamId: 'member-a', expected: 1, actual: 2 },
      });
      expect((outcomes[0] as PromiseRejectedResult).reason).toBeInstanceOf(ConcurrencyError);
      expect(outcomes[1]).toMatchObject({ status: 'fulfilled', value: { nextVersion: 1 } });
      expect(outcomes[2]).toMatchObject({
        status: 'rejected',
        reason: { code: 'STREAM_NOT_FOUND' },
      });
      expect(await versions(t, 'member-a')).toEqual([
        [1, { n: 1 }],
        [2, { n: 2 }],
      ]);
      expect(await versions(t, 'member-b')).toEqual([[1, { n: 4 }]]);
      expect((await store.readStream(t, 'member-c')).streamExists).toBe(false);
    });

    it('lets one of two appends at the same version of a stream land, in the order asked', async () => {
      const t = tenant();
      const [first, second] = await Promise.allSettled([
        store.appendToStream(t, 'member-a', [ev(1)], { expectedVersion: 'no_stream' }),
        store.appendToStream(t, 'member-a', [ev(2)], { expectedVersion: 'no_stream' }),
      ]);
      expect(first).toMatchObject({ status: 'fulfilled', value: { nextVersion: 1 } });
      expect(second).toMatchObject({
        status: 'rejected',
        reason: { code: 'CONCURRENCY_CONFLICT', actual: 1 },
      });
      expect(await versions(t, 'member-a')).toEqual([[1, { n: 1 }]]);
    });

    it('answers a command id asked twice in one turn with the first append, appended once', async () => {
      const t = tenant();
      const commandId = `cmd-${randomUUID()}`;
      const [one, two] = await Promise.all([
        store.appendToStream(t, 'member-a', [ev(1)], { commandId }),
        store.appendToStream(t, 'member-b', [ev(2)], { commandId }),
      ]);
      expect(one.duplicate).toBe(false);
      expect(two).toMatchObject({ duplicate: true, position: one.position });
      expect(await versions(t, 'member-a')).toEqual([[1, { n: 1 }]]);
      expect((await store.readStream(t, 'member-b')).streamExists).toBe(false);
    });

    it(`sends at most ${MAX_BATCH_ITEMS} items per statement`, async () => {
      const t = tenant();
      const n = MAX_BATCH_ITEMS + 8;
      const { result, statements } = await counted(() =>
        Promise.all(
          Array.from({ length: n }, (_, i) => store.appendToStream(t, `member-${i}`, [ev(i)])),
        ),
      );
      expect(statements).toBe(2);
      expect(result.every((r) => r.nextVersion === 1 && !r.duplicate)).toBe(true);
      const { rows } = await db.ownerPool.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events WHERE tenant_id = $1',
        [t],
      );
      expect(rows[0]!.n).toBe(n);
    });
  });
});
