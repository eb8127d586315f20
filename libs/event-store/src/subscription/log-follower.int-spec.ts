import { randomUUID } from 'node:crypto';
import { LeaderLock } from '@app/database';
import { LogFollower, PostgresEventStore, loadCheckpoint, listCheckpoints } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';

describe('LogFollower', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  const until = async (check: () => boolean | Promise<boolean>, what: string) => {
    for (let i = 0; i < 200; i++) {
      if (await check()) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`timed out waiting for ${what}`);
  };

  const saveCheckpoint = (name: string, tx: string, pos: number) =>
    db.appPool.query(
      `INSERT INTO subscription_checkpoints (name, transaction_id, global_position) VALUES ($1, $2::xid8, $3)
       ON CONFLICT (name) DO UPDATE SET transaction_id = excluded.transaction_id, global_position = excluded.global_position`,
      [name, tx, pos],
    );

  it('warns when an open writing transaction holds the gap-free horizon back', async () => {
    const warnings: string[] = [];
    const client = await db.appPool.connect();
    await client.query('BEGIN');
    await client.query('SELECT pg_current_xact_id()'); // takes an xid: a writer
    const follower = new LogFollower(store, db.appPool, {
      name: `horizon-${randomUUID()}`,
      handle: () => Promise.resolve(),
      horizonWarningSeconds: 0.2,
      log: { log: () => undefined, error: () => undefined, warn: (m) => warnings.push(m) },
    });
    await new Promise((r) => setTimeout(r, 300));
    follower.start();
    try {
      await until(() => warnings.length > 0, 'a warning');
      expect(warnings[0]).toMatch(/a writing transaction has been open \d+\.\d s/);
    } finally {
      await follower.stop();
      await client.query('ROLLBACK');
      client.release();
    }
  });

  it('stops at an event it cannot apply and records the position and reason', async () => {
    const name = `failing-${randomUUID()}`;
    const tenant = `t-${randomUUID()}`;
    const { events: before, checkpoint } = await store.readAll({ limit: 10_000 });
    expect(before.length).toBeLessThan(10_000);
    await saveCheckpoint(name, checkpoint.transactionId, checkpoint.position);
    const { position } = await store.appendToStream(tenant, 's', [{ type: 'Poison', data: {} }]);
    const follower = new LogFollower(store, db.appPool, {
      name,
      handle: (batch) => Promise.reject(new Error(`cannot apply ${batch.events[0]!.type}`)),
    });
    await expect(follower.drain()).rejects.toThrow('cannot apply Poison');
    const row = (await listCheckpoints(db.appPool)).find((c) => c.name === name);
    expect(row).toMatchObject({ failedPosition: position, failedReason: 'cannot apply Poison' });
    // it did not move past the event
    expect(await loadCheckpoint(db.appPool, name)).toEqual(checkpoint);
  });

  it('never runs two passes at once: its loop and drains handle each event once', async () => {
    const name = `serial-${randomUUID()}`;
    const tenant = `t-${randomUUID()}`;
    const { checkpoint } = await store.readAll({ limit: 10_000 });
    await saveCheckpoint(name, checkpoint.transactionId, checkpoint.position);
    const handled: number[] = [];
    let active = 0;
    let overlapping = 0;
    const follower = new LogFollower(store, db.appPool, {
      name,
      batchSize: 4,
      minDelayMs: 1,
      maxDelayMs: 5,
      handle: async (batch) => {
        if (active++ > 0) overlapping += 1;
        await new Promise((r) => setTimeout(r, 5)); // a batch takes a while to apply
        const at = batch.checkpoint;
        await saveCheckpoint(name, at.transactionId, at.position);
        handled.push(...batch.events.map((e) => e.globalPosition));
        active -= 1;
      },
    });
    follower.start();
    try {
      const positions: number[] = [];
      for (let i = 0; i < 24; i++) {
        const { position } = await store.appendToStream(tenant, `s-${i % 3}`, [
          { type: 'Counted', data: { i } },
        ]);
        positions.push(position);
        if (i % 6 === 5) await Promise.all([follower.drain(), follower.drain()]);
      }
      await follower.drain();
      expect(overlapping).toBe(0);
      expect(handled.filter((p) => positions.includes(p))).toEqual(positions);
    } finally {
      await follower.stop();
    }
  });

  it('lingers while busy: commits woken meanwhile come as one batch, until somebody hurries it', async () => {
    const name = `linger-${randomUUID()}`;
    const tenant = `t-${randomUUID()}`;
    const { checkpoint } = await store.readAll({ limit: 10_000 });
    await saveCheckpoint(name, checkpoint.transactionId, checkpoint.position);
    const batches: number[][] = [];
    let gate: Promise<void> | undefined;
    let inPass = false;
    const follower = new LogFollower(store, db.appPool, {
      name,
      lingerMs: 60_000, // longer than the test: only a wake of an idle follower or a hurry ends it
      minDelayMs: 1,
      maxDelayMs: 20,
      handle: async (batch) => {
        inPass = true;
        await gate;
        const at = batch.checkpoint;
        await saveCheckpoint(name, at.transactionId, at.position);
        batches.push(
          batch.events.filter((e) => e.tenantId === tenant).map((e) => e.globalPosition),
        );
        inPass = false;
      },
    });
    const append = async () => {
      const { position } = await store.appendToStream(tenant, `s-${randomUUID()}`, [
        { type: 'Counted', data: {} },
      ]);
      follower.wake(); // what a local commit does
      return position;
    };
    follower.start();
    try {
      // idle: the first commit is handled at once
      const first = await append();
      await until(() => batches.length === 1, 'the first batch');
      // busy: the next commits wait out the linger, however often they wake it
      const more = [await append(), await append(), await append()];
      await new Promise((r) => setTimeout(r, 100));
      expect(batches).toEqual([[first]]);
      follower.hurry();
      await until(() => batches.length === 2, 'the hurried batch');
      expect(batches[1]).toEqual(more);

      // a hurry while a pass runs: the next pass follows it at once
      let open = () => undefined as void;
      gate = new Promise<void>((r) => (open = r));
      const fifth = await append();
      follower.hurry();
      await until(() => inPass, 'a pass in progress');
      const sixth = await append();
      follower.hurry();
      gate = undefined;
      open();
      await until(() => batches.length === 4, 'the pass after the hurried one');
      expect(batches.slice(2)).toEqual([[fifth], [sixth]]);
    } finally {
      await follower.stop(); // ends the linger too
    }
  });

  it('lets only one process lead a follower and hands over when the leader goes', async () => {
    const name = `lead-${randomUUID()}`;
    const a = new LeaderLock(db.appUrl, name);
    const b = new LeaderLock(db.appUrl, name);
    expect(await a.tryAcquire()).toBe(true);
    expect(await b.tryAcquire()).toBe(false);
    await a.release(); // the session ends, as when a process dies
    expect(await b.tryAcquire()).toBe(true);
    await b.release();
  });
});
