import { randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { listCheckpoints } from '@app/event-store';
import { allProjections, ProjectionRunner, type Projection } from '@app/read-models';
import { createTestDatabase, generateLargeTenant, type TestDatabase } from '@app/testing';

/** Every row of every read model of the tenant, in a stable order. */
async function snapshot(db: TestDatabase, runner: ProjectionRunner, tenantId: string) {
  return withTenant(db.appPool, tenantId, async (client) => {
    const out: Record<string, string[]> = {};
    for (const table of runner.projections.flatMap((p) => p.tables)) {
      const { rows } = await client.query<{ r: string }>(
        `SELECT to_jsonb(t)::text AS r FROM ${table} t WHERE tenant_id = $1`,
        [tenantId],
      );
      out[table] = rows.map((x) => x.r).sort();
    }
    return out;
  });
}

describe('rebuild (one reader, projections in parallel)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  it('produces exactly the rows of live projection for the large generator', async () => {
    const store = new PostgresEventStore(db.appPool);
    // live: small batches cut at other places than the rebuild's, following the writes
    const live = new ProjectionRunner(store, db.appPool, allProjections(), { batchSize: 700 });
    const tenant = generateLargeTenant({
      scale: 0.002,
      lastPeriod: '2026-06',
      seed: 11,
      tenantId: `rebuild-${randomUUID()}`,
    });
    let appends = 0;
    for await (const batch of tenant.batches()) {
      await store.appendToStreams(tenant.tenantId, batch.appends, {
        metadata: { actor: 'system:test' },
      });
      if (++appends % 5 === 0) await live.catchUp();
    }
    await live.catchUp();
    const before = await snapshot(db, live, tenant.tenantId);
    expect(before.rm_members).toHaveLength(tenant.counts.members);
    expect(before.rm_dues_ledger).toHaveLength(tenant.counts.duesPaid);
    expect(before.rm_audit_events).toHaveLength(tenant.counts.events);

    const rebuilder = new ProjectionRunner(store, db.appPool, allProjections(), {
      rebuildBatchSize: 3000,
    });
    const read = await rebuilder.rebuild();
    expect(read).toBeGreaterThanOrEqual(tenant.counts.events);
    expect(await snapshot(db, rebuilder, tenant.tenantId)).toEqual(before);

    // a rebuild batch bigger than one read of the store (10,000): the whole log in one or two
    expect(tenant.counts.events).toBeGreaterThan(10_000);
    const big = new ProjectionRunner(store, db.appPool, allProjections(), {
      rebuildBatchSize: 25_000,
    });
    expect(await big.rebuild()).toBe(read);
    expect(await snapshot(db, big, tenant.tenantId)).toEqual(before);
  }, 180_000);

  it('stops on an event a projection cannot apply, with its position in status, and lets the rest finish the batch', async () => {
    const store = new PostgresEventStore(db.appPool);
    const tenantId = `rebuild-${randomUUID()}`;
    const appended = [];
    for (let i = 0; i < 12; i++)
      appended.push(
        await store.appendToStream(tenantId, `thing-${i}`, [
          { type: 'ThingHappened', data: { i } },
        ]),
      );
    const poison = appended[7]!.position;
    const seen: number[] = [];
    const good: Projection = {
      name: `good-${randomUUID()}`,
      tables: [],
      apply: (_client, batch) => {
        seen.push(...batch.events.map((e) => e.globalPosition));
        return Promise.resolve();
      },
    };
    const bad: Projection = {
      name: `bad-${randomUUID()}`,
      tables: [],
      apply: (_client, batch) =>
        batch.events.some((e) => e.globalPosition === poison)
          ? Promise.reject(new Error('cannot apply this one'))
          : Promise.resolve(),
    };
    const runner = new ProjectionRunner(store, db.appPool, [good, bad], { rebuildBatchSize: 5 });
    await expect(runner.rebuild()).rejects.toThrow('cannot apply this one');
    const failed = (await listCheckpoints(db.appPool)).find((c) => c.name === bad.name);
    expect(failed?.failedReason).toContain('cannot apply this one');
    expect(failed?.failedPosition).toBeLessThanOrEqual(poison);
    expect(failed?.checkpoint.position).toBeLessThan(poison);
    // the batch with the poison was applied by the other projection: nothing is left half-done
    expect(seen).toContain(poison);
  });
});
