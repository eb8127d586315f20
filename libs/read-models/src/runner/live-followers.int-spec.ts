import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type EventStore, type ReadAllOptions } from '@app/event-store';
import {
  ConsistencyTimeoutError,
  ProjectionRunner,
  type Projection,
  type TenantBatch,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { SharedLogReader } from './shared-log-reader';

const counted = (n: number) => ({ type: 'Counted', data: { n } });

/** A projection that records the positions it applied for one tenant (tables: none). */
function recorder(tenantId: string, name = `recorder-${randomUUID()}`, dependsOn?: string[]) {
  const applied: number[] = [];
  const projection: Projection = {
    name,
    tables: [],
    ...(dependsOn ? { dependsOn } : {}),
    apply: (_client, batch: TenantBatch) => {
      if (batch.tenantId === tenantId) applied.push(...batch.events.map((e) => e.globalPosition));
      return Promise.resolve();
    },
  };
  return { projection, applied };
}

/** The real store, counting its readAll calls. */
function countingStore(store: EventStore) {
  const calls: ReadAllOptions[] = [];
  const counting: EventStore = Object.create(store) as EventStore;
  counting.readAll = (options) => {
    calls.push(options ?? {});
    return store.readAll(options);
  };
  return { store: counting, calls };
}

describe('live followers: checkpoint in memory, one shared log read, waiting for some projections', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  const appendSome = async (tenantId: string, count: number) => {
    const positions: number[] = [];
    for (let i = 0; i < count; i++) {
      const { position } = await store.appendToStream(tenantId, `s-${randomUUID()}`, [counted(i)]);
      positions.push(position);
    }
    return positions;
  };

  it('applies every event exactly once when another runner moves the checkpoint it keeps', async () => {
    const t = `t-${randomUUID()}`;
    const name = `shared-${randomUUID()}`;
    const a = recorder(t, name);
    const b = recorder(t, name);
    const runnerA = new ProjectionRunner(store, db.appPool, [a.projection], { batchSize: 3 });
    const runnerB = new ProjectionRunner(store, db.appPool, [b.projection], { batchSize: 3 });
    const first = await appendSome(t, 4);
    await runnerA.catchUp(); // A now keeps its checkpoint in memory
    const second = await appendSome(t, 5);
    await runnerB.catchUp(); // B moves the stored checkpoint past A's
    const third = await appendSome(t, 2);
    // A's kept checkpoint is stale: its batch is refused before anything is applied, and it reads
    // the stored checkpoint again
    await runnerA.catchUp();
    expect(a.applied).toEqual([...first, ...third]);
    expect(b.applied).toEqual(second);
  });

  it('reads the checkpoint again after a reset', async () => {
    const t = `t-${randomUUID()}`;
    const r = recorder(t);
    const runner = new ProjectionRunner(store, db.appPool, [r.projection]);
    const positions = await appendSome(t, 3);
    await runner.catchUp();
    await runner.reset(r.projection.name);
    await runner.catchUp();
    expect(r.applied).toEqual([...positions, ...positions]);
  });

  it('shares a read in flight among followers at the same checkpoint, never one from before a wake', async () => {
    const t = `t-${randomUUID()}`;
    await appendSome(t, 2);
    const { store: counting, calls } = countingStore(store);
    const reader = new SharedLogReader(counting);
    const from = { transactionId: '0', position: 0 };
    const together = await Promise.all([1, 2, 3].map(() => reader.read(from, 10)));
    expect(calls).toHaveLength(1);
    expect(together[1]).toBe(together[0]);
    expect(reader.pending).toBe(0);
    // finished reads are not kept: the next asks again
    await reader.read(from, 10);
    expect(calls).toHaveLength(2);
    // a read that started before a commit's wake-up is not handed to a follower woken for it
    const before = reader.read(from, 10);
    reader.wake();
    const after = reader.read(from, 10);
    expect(after).not.toBe(before);
    await Promise.all([before, after]);
    expect(calls).toHaveLength(4);
  });

  it("hands a dependency's applied batch to the projection after it: no second log read", async () => {
    const t = `t-${randomUUID()}`;
    const { store: counting, calls } = countingStore(store);
    const base = recorder(t);
    const dependent = recorder(t, `dependent-${randomUUID()}`, [base.projection.name]);
    const runner = new ProjectionRunner(counting, db.appPool, [
      base.projection,
      dependent.projection,
    ]);
    await runner.catchUp(); // both at the head of the log
    const positions = await appendSome(t, 3);
    calls.length = 0;
    await runner.catchUp();
    expect(base.applied).toEqual(positions);
    expect(dependent.applied).toEqual(positions);
    // the base reads the three events and then nothing; the dependent takes the base's batch,
    // then finds the base's checkpoint where its own is and does not read the log at all
    expect(calls).toHaveLength(2);
    // while the base has not moved, a dependent stepping alone reads no events either
    const waiting = await appendSome(t, 2);
    calls.length = 0;
    expect(await runner.step(dependent.projection.name)).toBe(0);
    expect(calls).toHaveLength(0);

    // after a reset of the base, nothing it applied before is handed over
    await runner.reset(base.projection.name);
    const more = await appendSome(t, 1);
    await runner.catchUp();
    expect(base.applied.filter((p) => p <= positions.at(-1)!)).toEqual([
      ...positions,
      ...positions,
    ]);
    expect(dependent.applied).toEqual([...positions, ...waiting, ...more]);
  });

  it('hands a dependent that fell behind every batch its dependency applied since, joined', async () => {
    const t = `t-${randomUUID()}`;
    const { store: counting, calls } = countingStore(store);
    const base = recorder(t);
    const dependent = recorder(t, `dependent-${randomUUID()}`, [base.projection.name]);
    const runner = new ProjectionRunner(
      counting,
      db.appPool,
      [base.projection, dependent.projection],
      { batchSize: 3 },
    );
    await runner.catchUp();
    const first = await appendSome(t, 2);
    expect(await runner.step(base.projection.name)).toBe(2);
    const second = await appendSome(t, 1);
    expect(await runner.step(base.projection.name)).toBe(1);
    calls.length = 0;
    // both of the base's batches in one, without reading the log
    expect(await runner.step(dependent.projection.name)).toBe(3);
    expect(calls).toHaveLength(0);
    expect(dependent.applied).toEqual([...first, ...second]);
  });

  it('only moves the checkpoint of a projection whose event types a batch does not hold', async () => {
    const t = `t-${randomUUID()}`;
    const calls: number[][] = [];
    const typed = (name: string): Projection => ({
      name,
      tables: [],
      eventTypes: new Set(['Wanted']),
      apply: (_client, batch: TenantBatch) => {
        if (batch.tenantId === t) calls.push(batch.events.map((e) => e.globalPosition));
        return Promise.resolve();
      },
    });
    const name = `typed-${randomUUID()}`;
    const runner = new ProjectionRunner(store, db.appPool, [typed(name)]);
    const other = new ProjectionRunner(store, db.appPool, [typed(name)]);
    await runner.catchUp();
    calls.length = 0;
    const skipped = await appendSome(t, 3);
    await runner.catchUp();
    expect(calls).toEqual([]); // no transaction, nothing applied
    const stored = async () =>
      Number(
        (
          await db.appPool.query<{ p: string }>(
            'SELECT global_position AS p FROM subscription_checkpoints WHERE name = $1',
            [name],
          )
        ).rows[0]!.p,
      );
    expect(await stored()).toBeGreaterThanOrEqual(skipped.at(-1)!);
    // another runner moves the checkpoint: the kept one is refused there, and read again
    await appendSome(t, 1);
    await other.catchUp();
    const { position: wanted } = await store.appendToStream(t, `s-${randomUUID()}`, [
      { type: 'Wanted', data: {} },
    ]);
    await runner.catchUp();
    expect(calls).toEqual([[wanted]]);
    expect(await stored()).toBeGreaterThanOrEqual(wanted);
  });

  it('waits for the named projections only, or for none', async () => {
    const t = `t-${randomUUID()}`;
    const base = recorder(t);
    const dependent = recorder(t, `dependent-${randomUUID()}`, [base.projection.name]);
    const runner = new ProjectionRunner(store, db.appPool, [base.projection, dependent.projection]);
    const [position] = await appendSome(t, 1);
    await runner.catchUp([base.projection.name]);
    await expect(runner.waitFor(t, position!, 2_000, [base.projection.name])).resolves.toBe(
      undefined,
    );
    await expect(runner.waitFor(t, position!, 100)).rejects.toBeInstanceOf(ConsistencyTimeoutError);
    await expect(runner.waitFor(t, position!, 100, [])).resolves.toBeUndefined();
    await expect(runner.waitFor(t, position!, 100, ['no-such-projection'])).rejects.toThrow(
      /unknown projection/,
    );
    await runner.catchUp();
    await expect(runner.waitFor(t, position!, 2_000)).resolves.toBeUndefined();
  });
});
