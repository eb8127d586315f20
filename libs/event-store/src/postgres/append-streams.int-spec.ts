import { randomUUID } from 'node:crypto';
import { ConcurrencyError, PostgresEventStore, StreamNotFoundError } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';

const ev = (n: number) => ({ type: 'Counted', data: { n } });

/**
 * `appendToStreams` through es_append_streams: new streams (no_stream) go in without a version
 * lookup, and the primary key is what refuses one that exists; the other expectations are
 * checked set-based before the insert.
 */
describe('appendToStreams, new streams without a version lookup', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const tenant = () => `tenant-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  const streamRows = async (t: string) => {
    const { rows } = await db.ownerPool.query<{ stream_id: string; stream_version: number }>(
      'SELECT stream_id, stream_version FROM events WHERE tenant_id = $1 ORDER BY global_position',
      [t],
    );
    return rows.map((r) => `${r.stream_id}@${r.stream_version}`);
  };

  it('numbers several events per new stream from 1, in append order, beside a checked stream', async () => {
    const t = tenant();
    await store.appendToStream(t, 'old', [ev(1), ev(2)]);
    const result = await store.appendToStreams(t, [
      { streamId: 'a', events: [ev(1), ev(2), ev(3)], expectedVersion: 'no_stream' },
      { streamId: 'old', events: [ev(3)], expectedVersion: 'any' },
      { streamId: 'b', events: [ev(1)], expectedVersion: 'no_stream' },
    ]);
    expect(result.streams).toEqual([
      { streamId: 'a', nextVersion: 3 },
      { streamId: 'old', nextVersion: 3 },
      { streamId: 'b', nextVersion: 1 },
    ]);
    expect(await streamRows(t)).toEqual(['old@1', 'old@2', 'a@1', 'a@2', 'a@3', 'old@3', 'b@1']);
    const { rows } = await db.ownerPool.query<{ position: string }>(
      'SELECT max(global_position) AS position FROM events WHERE tenant_id = $1',
      [t],
    );
    expect(result.position).toBe(Number(rows[0]!.position));
  });

  it('refuses a new stream that exists, naming it and its version, and writes nothing', async () => {
    const t = tenant();
    await store.appendToStream(t, 'card-7', [ev(1), ev(2)]);
    const before = await streamRows(t);
    const attempt = store.appendToStreams(t, [
      { streamId: 'member-1', events: [ev(1)], expectedVersion: 'no_stream' },
      { streamId: 'card-7', events: [ev(1)], expectedVersion: 'no_stream' },
      { streamId: 'member-2', events: [ev(1)], expectedVersion: 'no_stream' },
    ]);
    await expect(attempt).rejects.toBeInstanceOf(ConcurrencyError);
    await expect(attempt).rejects.toMatchObject({
      streamId: 'card-7',
      expected: 'no_stream',
      actual: 2,
    });
    expect(await streamRows(t)).toEqual(before);
  });

  it('checks the other expectations before inserting: stream_exists and exact versions', async () => {
    const t = tenant();
    await store.appendToStream(t, 'x', [ev(1)]);
    await expect(
      store.appendToStreams(t, [
        { streamId: 'new', events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: 'missing', events: [ev(1)], expectedVersion: 'stream_exists' },
      ]),
    ).rejects.toBeInstanceOf(StreamNotFoundError);
    await expect(
      store.appendToStreams(t, [
        { streamId: 'new', events: [ev(1)], expectedVersion: 'no_stream' },
        { streamId: 'x', events: [ev(2)], expectedVersion: 2 },
      ]),
    ).rejects.toMatchObject({ streamId: 'x', expected: 2, actual: 1 });
    expect(await streamRows(t)).toEqual(['x@1']);
  });

  it('lets exactly one of 20 racing appends create the same new stream', async () => {
    const t = tenant();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        store.appendToStreams(t, [
          { streamId: `member-${i}`, events: [ev(i)], expectedVersion: 'no_stream' },
          { streamId: 'card-shared', events: [ev(i)], expectedVersion: 'no_stream' },
        ]),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    const lost = outcomes.filter((o) => o.status === 'rejected');
    expect(won).toHaveLength(1);
    for (const o of lost) {
      expect(o.reason).toBeInstanceOf(ConcurrencyError);
      expect(o.reason).toMatchObject({ streamId: 'card-shared', actual: 1 });
    }
    // the winner's member stream and the shared card, nothing of the 19 others
    expect(await streamRows(t)).toHaveLength(2);
  });

  it('answers a repeated command id with the first result and appends nothing', async () => {
    const t = tenant();
    const commandId = randomUUID();
    const appends = [
      { streamId: 'p', events: [ev(1), ev(2)], expectedVersion: 'no_stream' as const },
      { streamId: 'summary', events: [ev(1)], expectedVersion: 'any' as const },
    ];
    const first = await store.appendToStreams(t, appends, { commandId });
    expect(first.duplicate).toBe(false);
    // the same streams again would conflict; the command id answers first
    const again = await store.appendToStreams(t, appends, { commandId });
    expect(again).toMatchObject({ duplicate: true, position: first.position });
    expect([...again.streams].sort((a, b) => a.streamId.localeCompare(b.streamId))).toEqual([
      { streamId: 'p', nextVersion: 2 },
      { streamId: 'summary', nextVersion: 1 },
    ]);
    expect(await streamRows(t)).toEqual(['p@1', 'p@2', 'summary@1']);
    const read = await store.readStream(t, 'p');
    expect(read.events.map((e) => e.metadata.commandId)).toEqual([commandId, commandId]);
  });
});
