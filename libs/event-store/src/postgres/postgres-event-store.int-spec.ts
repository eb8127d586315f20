import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { withTenant } from '@app/database';
import {
  ConcurrencyError,
  EventStoreError,
  PostgresEventStore,
  StreamNotFoundError,
  type ExpectedVersion,
} from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';

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

  it('appends several events in one call and reads them back in order', async () => {
    const t = tenant();
    const first = await store.appendToStream(t, 'union-1', [ev(1), ev(2), ev(3)], {
      expectedVersion: 'no_stream',
      metadata: { actor: 'user-1' },
    });
    expect(first).toMatchObject({ nextVersion: 3, duplicate: false });
    const second = await store.appendToStream(t, 'union-1', [ev(4)], { expectedVersion: 3 });
    expect(second.nextVersion).toBe(4);
    expect(second.position).toBeGreaterThan(first.position);

    const read = await store.readStream(t, 'union-1');
    expect(read.currentVersion).toBe(4);
    expect(read.events.map((e) => [e.streamVersion, e.data])).toEqual([
      [1, { n: 1 }],
      [2, { n: 2 }],
      [3, { n: 3 }],
      [4, { n: 4 }],
    ]);
    expect(read.events[0]!.metadata).toEqual({ actor: 'user-1' });
    expect(read.events[3]!.globalPosition).toBe(second.position);

    const range = await store.readStream(t, 'union-1', { fromVersion: 2, toVersion: 3 });
    expect(range.events.map((e) => e.streamVersion)).toEqual([2, 3]);
    expect(range.currentVersion).toBe(4);
  });

  it('reads a stream as it was recorded at an instant (until)', async () => {
    const t = tenant();
    await store.appendToStream(t, 's', [ev(1)]);
    const { rows } = await db.ownerPool.query<{ now: Date }>('SELECT now() AS now');
    await new Promise((r) => setTimeout(r, 20));
    await store.appendToStream(t, 's', [ev(2)]);
    const then = await store.readStream(t, 's', { until: rows[0]!.now });
    expect(then.events.map((e) => e.data)).toEqual([{ n: 1 }]);
  });

  it('folds a stream with a decider', async () => {
    const t = tenant();
    await store.appendToStream(t, 'sum', [ev(2), ev(5)]);
    const decider = {
      initialState: () => 0,
      evolve: (s: number, e: { type: string; data: { n: number } }) => s + e.data.n,
    };
    await expect(store.aggregateStream(t, 'sum', decider)).resolves.toEqual({
      state: 7,
      currentVersion: 2,
      streamExists: true,
    });
    await expect(store.aggregateStream(t, 'none', decider)).resolves.toEqual({
      state: 0,
      currentVersion: 0,
      streamExists: false,
    });
  });

  it('checks expected versions: no_stream, stream_exists, exact', async () => {
    const t = tenant();
    await expect(
      store.appendToStream(t, 's', [ev(1)], { expectedVersion: 'stream_exists' }),
    ).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(
      store.appendToStream(t, 's', [ev(1)], { expectedVersion: 1 }),
    ).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
      streamId: 's',
      expected: 1,
      actual: 0,
    });
    await store.appendToStream(t, 's', [ev(1)], { expectedVersion: 'no_stream' });
    await expect(
      store.appendToStream(t, 's', [ev(2)], { expectedVersion: 'no_stream' }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await store.appendToStream(t, 's', [ev(2)], { expectedVersion: 'stream_exists' });
    await store.appendToStream(t, 's', [ev(3)], { expectedVersion: 'any' });
    expect((await store.readStream(t, 's')).currentVersion).toBe(3);
  });

  it('lets exactly 1 of 20 parallel appends with the same expected version through', async () => {
    const t = tenant();
    await store.appendToStream(t, 'hot', [ev(0)]);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.appendToStream(t, 'hot', [ev(i), ev(i + 100)], { expectedVersion: 1 }),
      ),
    );
    const ok = results.filter((r) => r.status === 'fulfilled');
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(1);
    expect(failed).toHaveLength(19);
    for (const f of failed) {
      expect(f.reason).toBeInstanceOf(ConcurrencyError);
      expect((f.reason as ConcurrencyError).expected).toBe(1);
    }
    const read = await store.readStream(t, 'hot');
    // nothing partial: the winner's two events, nobody else's
    expect(read.events).toHaveLength(3);
    const winner = (read.events[1]!.data as { n: number }).n;
    expect(read.events[2]!.data).toEqual({ n: winner + 100 });
  });

  it('returns the first result to 50 parallel calls with the same command id and appends once', async () => {
    const t = tenant();
    const commandId = randomUUID();
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        store.appendToStream(t, 'member-1', [ev(1), ev(2)], { expectedVersion: 'any', commandId }),
      ),
    );
    const strip = results.map(({ nextVersion, position, transactionId }) => ({
      nextVersion,
      position,
      transactionId,
    }));
    expect(new Set(strip.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect((await store.readStream(t, 'member-1')).events).toHaveLength(2);

    // a later retry, after the stream moved on, still gets the first result
    await store.appendToStream(t, 'member-1', [ev(3)]);
    const retry = await store.appendToStream(t, 'member-1', [ev(1), ev(2)], {
      expectedVersion: 0,
      commandId,
    });
    expect(retry).toEqual({ ...strip[0], duplicate: true });
    expect((await store.readStream(t, 'member-1')).currentVersion).toBe(3);
  });

  it('scopes command ids per tenant', async () => {
    const commandId = randomUUID();
    const a = await store.appendToStream(tenant(), 's', [ev(1)], { commandId });
    const b = await store.appendToStream(tenant(), 's', [ev(1)], { commandId });
    expect(b.duplicate).toBe(false);
    expect(b.position).not.toBe(a.position);
  });

  it('appends to several streams atomically', async () => {
    const t = tenant();
    await store.appendToStream(t, 'member-9', [ev(1)]);
    const result = await store.appendToStreams(t, [
      { streamId: 'transfer-1', events: [ev(1)], expectedVersion: 'no_stream' },
      { streamId: 'member-9', events: [ev(2), ev(3)], expectedVersion: 1 },
    ]);
    expect(result.streams.sort((x, y) => x.streamId.localeCompare(y.streamId))).toEqual([
      { streamId: 'member-9', nextVersion: 3 },
      { streamId: 'transfer-1', nextVersion: 1 },
    ]);
    const before = await countAll();
    await expect(
      store.appendToStreams(t, [
        { streamId: 'transfer-2', events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: 'member-9', events: [ev(4)], expectedVersion: 1 },
      ]),
    ).rejects.toMatchObject({ streamId: 'member-9', actual: 3 });
    expect(await countAll()).toBe(before);
    expect((await store.readStream(t, 'transfer-2')).streamExists).toBe(false);
  });

  describe('bad input gets a typed error and writes nothing', () => {
    const cases: [string, () => Promise<unknown>, string][] = [
      ['empty event list', () => store.appendToStream('t', 's', []), 'EMPTY_APPEND'],
      ['blank stream id', () => store.appendToStream('t', ' ', [ev(1)]), 'INVALID_STREAM_ID'],
      [
        'negative expected version',
        () => store.appendToStream('t', 's', [ev(1)], { expectedVersion: -1 }),
        'INVALID_EXPECTED_VERSION',
      ],
      [
        'fractional expected version',
        () => store.appendToStream('t', 's', [ev(1)], { expectedVersion: 1.5 }),
        'INVALID_EXPECTED_VERSION',
      ],
      [
        'unknown expected version',
        () =>
          store.appendToStream('t', 's', [ev(1)], { expectedVersion: 'latest' as ExpectedVersion }),
        'INVALID_EXPECTED_VERSION',
      ],
      [
        'event over 1 MB',
        () =>
          store.appendToStream('t', 's', [{ type: 'Big', data: { s: 'x'.repeat(1024 * 1024) } }]),
        'EVENT_TOO_LARGE',
      ],
      [
        'bigint in data',
        () => store.appendToStream('t', 's', [{ type: 'X', data: { n: BigInt(1) } }]),
        'INVALID_EVENT',
      ],
      [
        'function in data',
        () => store.appendToStream('t', 's', [{ type: 'X', data: { f: () => 1 } }]),
        'INVALID_EVENT',
      ],
      [
        'NaN in data',
        () => store.appendToStream('t', 's', [{ type: 'X', data: { n: NaN } }]),
        'INVALID_EVENT',
      ],
      [
        'Date instance in data',
        () => store.appendToStream('t', 's', [{ type: 'X', data: { d: new Date() } }]),
        'INVALID_EVENT',
      ],
      [
        'event without type',
        () => store.appendToStream('t', 's', [{ type: '', data: {} }]),
        'INVALID_EVENT',
      ],
      ['missing tenant', () => store.appendToStream('', 's', [ev(1)]), 'MISSING_TENANT'],
      [
        'missing tenant on read',
        () => store.readStream(undefined as unknown as string, 's'),
        'MISSING_TENANT',
      ],
      ['no streams', () => store.appendToStreams('t', []), 'EMPTY_APPEND'],
    ];
    it.each(cases)('%s', async (_name, call, code) => {
      const before = await countAll();
      await expect(call()).rejects.toBeInstanceOf(EventStoreError);
      await expect(call()).rejects.toMatchObject({ code });
      expect(await countAll()).toBe(before);
    });

    it('rejects circular data', async () => {
      const data: Record<string, unknown> = {};
      data.self = data;
      await expect(store.appendToStream('t', 's', [{ type: 'X', data }])).rejects.toMatchObject({
        code: 'INVALID_EVENT',
      });
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

  it('keeps every stream contiguous from 1 under any sequence of appends (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            stream: fc.constantFrom('a', 'b', 'c'),
            count: fc.integer({ min: 1, max: 3 }),
            expected: fc.oneof(
              fc.constant<ExpectedVersion>('any'),
              fc.constant<ExpectedVersion>('no_stream'),
              fc.constant<ExpectedVersion>('stream_exists'),
              fc.integer({ min: 0, max: 6 }),
            ),
          }),
          { minLength: 1, maxLength: 25 },
        ),
        async (ops) => {
          const t = tenant();
          const model = new Map<string, number>();
          for (const op of ops) {
            const current = model.get(op.stream) ?? 0;
            const allowed =
              op.expected === 'any' ||
              (op.expected === 'no_stream' && current === 0) ||
              (op.expected === 'stream_exists' && current > 0) ||
              op.expected === current;
            const call = store.appendToStream(
              t,
              op.stream,
              Array.from({ length: op.count }, (_, i) => ev(i)),
              {
                expectedVersion: op.expected,
              },
            );
            if (allowed) {
              await expect(call).resolves.toMatchObject({ nextVersion: current + op.count });
              model.set(op.stream, current + op.count);
            } else {
              await expect(call).rejects.toBeInstanceOf(EventStoreError);
            }
          }
          for (const stream of ['a', 'b', 'c']) {
            const { events } = await store.readStream(t, stream);
            expect(events.map((e) => e.streamVersion)).toEqual(
              Array.from({ length: model.get(stream) ?? 0 }, (_, i) => i + 1),
            );
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
