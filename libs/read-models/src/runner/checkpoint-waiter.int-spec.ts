import { randomUUID } from 'node:crypto';
import { PostgresEventStore, type LogCheckpoint } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import type { Pool } from 'pg';
import { CheckpointWaiter } from './checkpoint-waiter';
import { ConsistencyTimeoutError } from './runner-errors';

/** The real pool, whose next query can be held after it has read its rows (until released). */
function holdingPool(pool: Pool) {
  let held: { read: () => void; release: Promise<void> } | undefined;
  let release = () => undefined as void;
  const holding = Object.create(pool) as Pool;
  holding.query = (async (...args: Parameters<Pool['query']>) => {
    const result: unknown = await (pool.query as (...a: unknown[]) => Promise<unknown>)(...args);
    const hold = held;
    held = undefined;
    if (hold) {
      hold.read();
      await hold.release;
    }
    return result;
  }) as unknown as Pool['query'];
  return {
    pool: holding,
    /** Resolves once the next query has read its rows; they reach the caller on release(). */
    holdNext: () =>
      new Promise<void>((read) => {
        held = { read, release: new Promise<void>((r) => (release = r)) };
      }),
    release: () => release(),
  };
}

describe('CheckpointWaiter: what it tells as changed behind its back', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  const projection = async () => {
    const name = `p-${randomUUID()}`;
    await db.ownerPool.query('INSERT INTO subscription_checkpoints (name) VALUES ($1)', [name]);
    return name;
  };
  /** Another process (or ours, inside `committing`) moving the checkpoint. */
  const moveTo = (name: string, to: LogCheckpoint) =>
    db.ownerPool.query(
      `UPDATE subscription_checkpoints SET transaction_id = $2, global_position = $3
        WHERE name = $1`,
      [name, to.transactionId, to.position],
    );
  const appendOne = async (tenantId: string) => {
    const { position } = await store.appendToStream(tenantId, `s-${randomUUID()}`, [
      { type: 'Counted', data: {} },
    ]);
    return { position, checkpoint: (await store.checkpointAt(tenantId, position))! };
  };
  const waiterOf = (name: string, pool: Pool = db.ownerPool) => {
    const waiter = new CheckpointWaiter(store, pool, [name]);
    const told = { unseen: 0 };
    waiter.onUnseenChanges(() => (told.unseen += 1));
    return { waiter, told };
  };

  it('takes a read older than its own commit that landed meanwhile for what it is, not for news', async () => {
    const t = `t-${randomUUID()}`;
    const name = await projection();
    const event = await appendOne(t);
    const reads = holdingPool(db.ownerPool);
    const { waiter, told } = waiterOf(name, reads.pool);

    const read = reads.holdNext();
    // nothing known yet: the waiter reads the checkpoints (still at the start), and is held
    const waiting = waiter.waitFor(t, event.position, 5_000, [name]);
    await read;
    // meanwhile this process commits the batch up to the event
    await waiter.committing(name, event.checkpoint, () => moveTo(name, event.checkpoint));
    reads.release();

    await waiting;
    // the old read did not move what it knows back (which would have made the next read of its
    // own checkpoint look like somebody else's commit, and emptied every cached answer)
    expect(told.unseen).toBe(0);
    const later = await appendOne(t);
    await waiter.committing(name, later.checkpoint, () => moveTo(name, later.checkpoint));
    await waiter.waitFor(t, later.position, 5_000, [name]);
    expect(told.unseen).toBe(0);
  });

  it('tells each move by another process once, and waits for it', async () => {
    const t = `t-${randomUUID()}`;
    const name = await projection();
    const { waiter, told } = waiterOf(name);
    const first = await appendOne(t);
    await moveTo(name, first.checkpoint);
    await waiter.waitFor(t, first.position, 5_000, [name]);
    expect(told.unseen).toBe(1);

    const second = await appendOne(t);
    const waiting = waiter.waitFor(t, second.position, 5_000, [name]);
    await new Promise((r) => setTimeout(r, 60)); // a read or two: nothing moved yet
    expect(told.unseen).toBe(1);
    await moveTo(name, second.checkpoint);
    await waiting;
    expect(told.unseen).toBe(2);
    await waiter.waitFor(t, first.position, 5_000, [name]); // known: no read, nothing told
    expect(told.unseen).toBe(2);
  });

  it('tells a checkpoint moved back by another process (a reset), and waits for it again', async () => {
    const t = `t-${randomUUID()}`;
    const name = await projection();
    const { waiter, told } = waiterOf(name);
    const first = await appendOne(t);
    await waiter.committing(name, first.checkpoint, () => moveTo(name, first.checkpoint));
    await moveTo(name, { transactionId: '0', position: 0 }); // another process's rebuild
    const second = await appendOne(t);

    await expect(waiter.waitFor(t, second.position, 200, [name])).rejects.toBeInstanceOf(
      ConsistencyTimeoutError,
    );
    expect(told.unseen).toBe(1);
    // it knows the checkpoint is back at the start: the first event is not applied any more
    await expect(waiter.waitFor(t, first.position, 100, [name])).rejects.toBeInstanceOf(
      ConsistencyTimeoutError,
    );
    expect(told.unseen).toBe(1);
  });
});
