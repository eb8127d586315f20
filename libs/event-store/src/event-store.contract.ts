import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { ConcurrencyError, EventStoreError, StreamNotFoundError } from './errors';
import {
  badInputContract,
  ev,
  tenant,
  type ContractTarget,
} from './event-store-bad-input.contract';
import type { EventStore, ExpectedVersion, LogCheckpoint } from './event-store.port';

export type { ContractTarget };

/**
 * What every EventStore adapter must do, one suite for all of them: registered by
 * postgres-event-store.int-spec.ts (real PostgreSQL), kurrent-event-store.spec.ts (the adapter's
 * logic over FakeKurrentClient) and kurrent-event-store.int-spec.ts (a real KurrentDB server).
 * What only one adapter has (row-level security, checkpointAt) stays in that adapter's spec.
 */
export function eventStoreContract(getTarget: () => ContractTarget): void {
  let store: EventStore;
  beforeAll(() => {
    ({ store } = getTarget());
  });

  const nothingWritten = async (t: string) =>
    expect((await store.readAll({ tenantId: t })).events).toEqual([]);

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
    expect(read.events[3]!.transactionId).toBe(second.transactionId);

    const range = await store.readStream(t, 'union-1', { fromVersion: 2, toVersion: 3 });
    expect(range.events.map((e) => e.streamVersion)).toEqual([2, 3]);
    expect(range.currentVersion).toBe(4);
    const missing = await store.readStream(t, 'none');
    expect(missing).toEqual({ currentVersion: 0, streamExists: false, events: [] });
  });

  it('reads several whole streams at once, each as readStream gives it, in the order asked', async () => {
    const t = tenant();
    const other = tenant();
    await store.appendToStream(t, 'a', [ev(1), ev(2)]);
    await store.appendToStream(t, 'b', [ev(3)]);
    await store.appendToStream(other, 'c', [ev(4)]);
    const ids = ['b', 'missing', 'a', 'c', 'b'];
    const together = await store.readStreams(t, ids);
    const oneByOne = await Promise.all(ids.map((id) => store.readStream(t, id)));
    expect(together).toEqual(oneByOne);
    expect(together.map((r) => r.events.map((e) => e.data))).toEqual([
      [{ n: 3 }],
      [],
      [{ n: 1 }, { n: 2 }],
      [], // another tenant's stream of that name is not there
      [{ n: 3 }],
    ]);
    expect(await store.readStreams(t, [])).toEqual([]);
  });

  it('reads a stream as it was recorded at an instant (until)', async () => {
    const t = tenant();
    await store.appendToStream(t, 's', [ev(1)]);
    const { events } = await store.readStream(t, 's');
    await new Promise((r) => setTimeout(r, 50));
    await store.appendToStream(t, 's', [ev(2)]);
    const then = await store.readStream(t, 's', { until: events[0]!.recordedAt });
    expect(then.events.map((e) => e.data)).toEqual([{ n: 1 }]);
    expect(then.currentVersion).toBe(2);
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
    ).rejects.toMatchObject({ code: 'CONCURRENCY_CONFLICT', actual: 1 });
    await expect(
      store.appendToStream(t, 's', [ev(2)], { expectedVersion: 0 }),
    ).rejects.toBeInstanceOf(ConcurrencyError);
    await store.appendToStream(t, 's', [ev(2)], { expectedVersion: 'stream_exists' });
    await store.appendToStream(t, 's', [ev(3)], { expectedVersion: 'any' });
    await store.appendToStream(t, 's', [ev(4)], { expectedVersion: 3 });
    expect((await store.readStream(t, 's')).currentVersion).toBe(4);
  });

  it('lets exactly 1 of 20 parallel appends with the same expected version through', async () => {
    const t = tenant();
    await store.appendToStream(t, 'hot', [ev(0)]);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.appendToStream(t, 'hot', [ev(i), ev(i + 100)], { expectedVersion: 1 }),
      ),
    );
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(failed).toHaveLength(19);
    for (const f of failed) {
      expect(f.reason).toBeInstanceOf(ConcurrencyError);
      expect((f.reason as ConcurrencyError).expected).toBe(1);
    }
    const read = await store.readStream(t, 'hot');
    expect(read.events).toHaveLength(3);
    const winner = (read.events[1]!.data as { n: number }).n;
    expect(read.events[2]!.data).toEqual({ n: winner + 100 });
  });

  it.each<[string, ExpectedVersion]>([
    ['an exact version', 0],
    ['any', 'any'],
  ])(
    'returns the first result to 50 parallel calls with one command id (%s)',
    async (_name, expectedVersion) => {
      const t = tenant();
      const commandId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 50 }, () =>
          store.appendToStream(t, 'member-1', [ev(1), ev(2)], { expectedVersion, commandId }),
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
    },
  );

  it('scopes command ids per tenant', async () => {
    const commandId = randomUUID();
    const a = await store.appendToStream(tenant(), 's', [ev(1)], { commandId });
    const b = await store.appendToStream(tenant(), 's', [ev(1)], { commandId });
    expect(b.duplicate).toBe(false);
    expect(b.position).not.toBe(a.position);
  });

  it('appends to several streams atomically, once per command id', async () => {
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
    const before = await store.readAll({ tenantId: t });
    await expect(
      store.appendToStreams(t, [
        { streamId: 'transfer-2', events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: 'member-9', events: [ev(4)], expectedVersion: 1 },
      ]),
    ).rejects.toMatchObject({ streamId: 'member-9', actual: 3 });
    expect(await store.readAll({ tenantId: t })).toEqual(before);
    expect((await store.readStream(t, 'transfer-2')).streamExists).toBe(false);

    const commandId = randomUUID();
    const appends = [{ streamId: 'transfer-3', events: [ev(1)] }];
    const runs = await Promise.all(
      Array.from({ length: 10 }, () => store.appendToStreams(t, appends, { commandId })),
    );
    expect(runs.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(runs.map((r) => r.position)).size).toBe(1);
    expect((await store.readStream(t, 'transfer-3')).currentVersion).toBe(1);
  });

  badInputContract(getTarget);

  it("isolates tenants: no stream id reaches another tenant's events", async () => {
    const a = tenant();
    const b = tenant();
    await store.appendToStream(a, 'secret', [ev(42)]);
    expect((await store.readStream(b, 'secret')).events).toEqual([]);
    for (const forged of [`t-${a}:secret`, `${a}:secret`, `../${a}/secret`]) {
      expect((await store.readStream(b, forged)).streamExists).toBe(false);
    }
    await nothingWritten(b);
    expect((await store.readAll({ tenantId: a })).events.map((e) => e.data)).toEqual([{ n: 42 }]);
  });

  it('finds the checkpoint of an event it just appended (read-your-writes)', async () => {
    const t = tenant();
    const written = await store.appendToStream(t, 'member-1', [ev(1), ev(2)]);
    await store.appendToStream(tenant(), 'member-1', [ev(3)]);
    expect(await store.checkpointAt(t, written.position)).toEqual({
      transactionId: written.transactionId,
      position: written.position,
    });
    expect(await store.checkpointAt(tenant(), written.position)).toBeUndefined();
  });

  it('reads $all in commit order, paged, each event once', async () => {
    const t = tenant();
    const written: number[] = [];
    for (let i = 0; i < 7; i++) {
      await store.appendToStream(t, `s-${i % 3}`, [ev(i)]);
      written.push(i);
    }
    const seen: number[] = [];
    let first: LogCheckpoint | undefined;
    let after: LogCheckpoint | undefined;
    let last = -1;
    for (;;) {
      const page = await store.readAll({ tenantId: t, limit: 2, ...(after ? { after } : {}) });
      if (page.events.length === 0) {
        expect(page.checkpoint).toEqual(after);
        break;
      }
      for (const e of page.events) {
        expect(e.globalPosition).toBeGreaterThan(last);
        last = e.globalPosition;
        first ??= { transactionId: e.transactionId, position: e.globalPosition };
        seen.push((e.data as { n: number }).n);
      }
      after = page.checkpoint;
    }
    expect(seen).toEqual(written);
    // the unfiltered log holds the same events in the same order, among other tenants' events
    const all = await store.readAll({ after: first!, limit: 10_000 });
    expect(
      all.events.filter((e) => e.tenantId === t).map((e) => (e.data as { n: number }).n),
    ).toEqual(written.slice(1));
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
            const events = Array.from({ length: op.count }, (_, i) => ev(i));
            const call = store.appendToStream(t, op.stream, events, {
              expectedVersion: op.expected,
            });
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
}
