import { randomUUID } from 'node:crypto';
import { PostgresEventStore, verifyChain } from '@app/event-store';
import { allProjections, ProjectionRunner } from '@app/read-models';
import {
  createTestDatabase,
  generateLargeTenant,
  writeLargeTenant,
  type TestDatabase,
} from '@app/testing';
import { buildOnce, spawnBuilt, waitUntil, type Spawned } from './fault-processes';
import {
  caughtUp,
  differences,
  eventCount,
  followerStates,
  midBatch,
  snapshot,
  type Snapshot,
} from './read-model-snapshot';

/**
 * kill -9 of the built projector (apps/projector) and of the projections CLI in the middle of a
 * batch, then a restart: the read models must equal a fresh replay of the same log, row by row,
 * and every follower must have applied each event exactly once.
 */
describe('projector killed with SIGKILL mid-batch', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  const running = new Set<Spawned>();
  const spawn = (script: string, args: string[] = []) => {
    const p = spawnBuilt(script, args, db);
    running.add(p);
    void p.exited.then(() => running.delete(p));
    return p;
  };
  const projector = () => spawn('apps/projector/src/main.js');

  let tenantIds: string[] = [];
  beforeAll(() => buildOnce());
  // each case on its own database: its replay covers only its own log
  beforeEach(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    tenantIds = [];
  });
  afterEach(async () => {
    await Promise.all([...running].map((p) => p.kill9()));
    await db.close();
  });

  async function writeTenant(
    scale: number,
    months: number,
    batchStreams: number,
    seed: number,
    concurrency = 2,
  ) {
    const tenantId = `f-${randomUUID()}`;
    tenantIds.push(tenantId);
    const tenant = generateLargeTenant({ tenantId, scale, months, batchStreams, seed });
    await writeLargeTenant(store, tenant, { progress: false, concurrency });
  }

  /** Waits for the followers of `p` to catch up, then stops it gracefully. */
  async function settle(p: Spawned): Promise<void> {
    await waitUntil(
      `the projector to catch up (${p.output()})`,
      async () => {
        if (p.child.exitCode !== null) throw new Error(`projector exited: ${p.output()}`);
        return caughtUp(db.ownerPool);
      },
      45_000,
      50,
    );
    expect(await p.stop()).toBe('exit 0');
  }

  /** Kills `p` with SIGKILL the moment one of its followers is inside a writing transaction. */
  async function killMidBatch(p: Spawned, application: string): Promise<void> {
    await waitUntil(
      `${application} to be mid-batch (${p.output()})`,
      async () => {
        if (p.child.exitCode !== null) throw new Error(`exited early: ${p.output()}`);
        return midBatch(db.ownerPool, db.name, application);
      },
      30_000,
      2,
    );
    expect(await p.kill9()).toBe('SIGKILL');
  }

  /** The read models after the fault against a truncated replay of the same log in this process. */
  async function expectEqualToFreshReplay(): Promise<void> {
    const total = await eventCount(db.ownerPool);
    // nothing doubled, nothing lost: each follower counted every event exactly once
    for (const state of await followerStates(db.ownerPool))
      expect({ name: state.name, eventsDone: state.eventsDone }).toEqual({
        name: state.name,
        eventsDone: total,
      });
    for (const tenantId of tenantIds)
      expect(await verifyChain(db.appPool, tenantId)).toMatchObject({ ok: true });
    const afterFault: Snapshot = await snapshot(db.ownerPool);
    // a different batch size moves every batch boundary: the result must not depend on them
    const runner = new ProjectionRunner(store, db.appPool, allProjections(), { batchSize: 1499 });
    for (const p of runner.projections) await runner.reset(p.name);
    await runner.catchUp();
    const replayed = await snapshot(db.ownerPool);
    expect([...replayed.values()].reduce((n, rows) => n + rows.length, 0)).toBeGreaterThan(1000);
    expect(differences(afterFault, replayed)).toEqual([]);
  }

  it('in the middle of a rebuild: the restarted projector finishes it, equal to a fresh replay', async () => {
    await writeTenant(0.002, 10, 500, 11);
    const total = await eventCount(db.ownerPool);
    expect(total).toBeGreaterThan(5000);
    await settle(projector());

    const rebuild = spawn('apps/projector/src/projections-cli.js', ['rebuild', 'all']);
    // mid-rebuild: some projection emptied and partly replayed, its next batch being written
    await waitUntil(
      `a projection half rebuilt (${rebuild.output()})`,
      async () => {
        const states = await followerStates(db.ownerPool);
        return states.some((s) => s.eventsDone > 0 && s.eventsDone < total);
      },
      30_000,
      5,
    );
    await killMidBatch(rebuild, 'projections-cli');
    const partly = (await followerStates(db.ownerPool)).filter((s) => s.eventsDone < total);
    expect(partly.length).toBeGreaterThan(0);
    const suspended = () =>
      db.ownerPool.query<{ index_name: string }>(
        'SELECT index_name FROM rebuild_suspended_indexes',
      );
    // the killed rebuild had dropped the read models' secondary indexes for its load
    expect((await suspended()).rows.length).toBeGreaterThan(0);

    await settle(projector());
    // the restarted projector built them again
    expect((await suspended()).rows).toEqual([]);
    await expectEqualToFreshReplay();
  });

  it('in the middle of live projection under a continuous write load, twice', async () => {
    let writing = true;
    let seed = 100;
    const load = (async () => {
      // small appends one after the other: a steady stream of short transactions
      while (writing) await writeTenant(0.0002, 3, 4, seed++, 1);
    })();
    try {
      for (let round = 0; round < 2; round++) {
        const p = projector();
        await waitUntil('events to project', async () => (await eventCount(db.ownerPool)) > 0);
        await killMidBatch(p, 'union-projector');
        const before = await eventCount(db.ownerPool);
        // the log keeps growing while no projector runs
        await waitUntil('more writes', async () => (await eventCount(db.ownerPool)) > before + 200);
      }
    } finally {
      writing = false;
      await load;
    }
    await settle(projector());
    await expectEqualToFreshReplay();
  });
});
