import { randomUUID } from 'node:crypto';
import { ConcurrencyError, PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { MAX_BATCH_ITEMS } from './append-batches';

const ev = (n: number) => ({ type: 'Counted', data: { n } });

/** Group commit: the single-stream appends of one event-loop turn in one statement. */
describe('PostgresEventStore appends of one event-loop turn (es_append_batch)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const tenant = () => `tenant-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

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
    expect(outcomes[2]).toMatchObject({ status: 'rejected', reason: { code: 'STREAM_NOT_FOUND' } });
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
