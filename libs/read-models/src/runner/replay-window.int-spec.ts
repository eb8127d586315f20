import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { Projection } from './projection';
import { replayTogether } from './replay-together';

const projection = (name: string, dependsOn?: string[]): Projection => ({
  name,
  tables: [],
  dependsOn,
  apply: () => Promise.resolve(),
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once `check` holds (polling; fails the test if it never does). */
async function until(check: () => boolean, tries = 2_000): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (check()) return;
    await pause(5);
  }
  throw new Error('condition never held');
}

describe('replayTogether: a window of batches in flight', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    const tenantId = `window-${randomUUID()}`;
    for (let i = 0; i < 10; i++)
      await store.appendToStream(tenantId, `thing-${i}`, [{ type: 'ThingHappened', data: { i } }]);
  });
  afterAll(() => db.close());

  it('lets cheap projections run up to the window ahead of a slow one, dependants behind their dependency, each in order', async () => {
    const fast = projection('fast');
    const slow = projection('slow', ['fast']);
    const applied = new Map<string, number[]>([
      ['fast', []],
      ['slow', []],
    ]);
    let releaseSlow: () => void = () => undefined;
    const slowGate = new Promise<void>((resolve) => (releaseSlow = resolve));
    const window = 3;
    const replay = replayTogether({
      store,
      projections: [slow, fast], // dependencies first whatever the order given
      batchSize: 1,
      window,
      apply: async (p, batch) => {
        const position = batch.events[0]!.globalPosition;
        if (p.name === 'slow') {
          // a dependant never applies a batch its dependency has not applied
          expect(applied.get('fast')).toContain(position);
          await slowGate;
        }
        applied.get(p.name)!.push(position);
        return true;
      },
    });
    // the slow projection holds its first batch: the fast one applies the whole window, no more
    await until(() => applied.get('fast')!.length === window);
    await pause(100); // room to run further ahead, were it allowed to
    expect(applied.get('fast')).toHaveLength(window);
    expect(applied.get('slow')).toHaveLength(0);

    releaseSlow();
    const read = await replay;
    const fastDone = applied.get('fast')!;
    expect(read).toBe(fastDone.length);
    expect(fastDone.length).toBeGreaterThanOrEqual(10);
    expect(applied.get('slow')).toEqual(fastDone); // every batch, in the same order
    expect([...fastDone].sort((a, b) => a - b)).toEqual(fastDone);
  });

  it('stops handing out batches once every projection has left the replay', async () => {
    let calls = 0;
    const read = await replayTogether({
      store,
      projections: [projection('leaver')],
      batchSize: 1,
      window: 4,
      apply: () => {
        calls += 1;
        return Promise.resolve(calls < 3); // applies two batches, then another runner took over
      },
    });
    // batches already in flight settle (as not applied), nothing after them is handed out
    expect(calls).toBe(3);
    expect(read).toBeLessThan(10);
  });
});
