import { randomUUID } from 'node:crypto';
import { mintToken } from '@app/auth';
import { freePort } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  createTestDatabase,
  generateLargeTenant,
  writeLargeTenant,
  type TestDatabase,
} from '@app/testing';
import { Client } from 'pg';
import { buildOnce, waitUntil } from '../faults/fault-processes';
import { spawnBuiltApi, type BuiltApi } from './built-api';

const SECRET = 'ops-shutdown-secret-'.padEnd(40, 's');

/**
 * SIGTERM to the built server while a request and a projection batch are both in flight (held on
 * a table lock the test controls): it stops accepting at once, the request still completes, the
 * batch commits with its checkpoint, the pool and the followers' sessions are closed, exit 0.
 */
describe('graceful shutdown of the built API server', () => {
  let db: TestDatabase;
  let api: BuiltApi | undefined;

  beforeAll(async () => {
    buildOnce();
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (api && api.child.exitCode === null) api.child.kill('SIGKILL');
    await db.close();
  });

  it('stops accepting, finishes the request and the batch in hand, closes the pool, exits 0', async () => {
    const store = new PostgresEventStore(db.appPool);
    const first = generateLargeTenant({
      tenantId: `a-${randomUUID()}`,
      scale: 0.001,
      months: 1,
      seed: 3,
    });
    const second = generateLargeTenant({
      tenantId: `b-${randomUUID()}`,
      scale: 0.0005,
      months: 1,
      seed: 4,
    });
    await writeLargeTenant(store, first, { progress: false, actor: 'test' });

    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    api = spawnBuiltApi({
      NODE_ENV: 'test',
      PORT: String(port),
      DATABASE_URL: db.ownerUrl,
      DATABASE_APP_URL: db.appUrl,
      AUTH_JWT_SECRET: SECRET,
      LOG_LEVEL: 'info',
      SHUTDOWN_TIMEOUT_MS: '60000',
      HEALTH_MAX_LAG_EVENTS: '0', // ready = every follower caught up
    });
    const running = api;
    await waitUntil(
      'the server to be ready (projections caught up)',
      async () => {
        if (running.child.exitCode !== null) throw new Error(running.output());
        return fetch(`${base}/health/ready`).then(
          (r) => r.status === 200,
          () => false,
        );
      },
      60_000,
      100,
    );
    const registryAt = async () =>
      (
        await db.ownerPool.query<{ position: string; done: string }>(
          `SELECT global_position AS position, events_done AS done
             FROM subscription_checkpoints WHERE name = 'registry'`,
        )
      ).rows[0]!;
    const before = await registryAt();

    // EXCLUSIVE locks (not ACCESS EXCLUSIVE, which would take a transaction id and hold the
    // gap-free log back): rm_unions stops the registry's next batch, events stops the mutation's
    // append; reads go on
    const locker = new Client({ connectionString: db.ownerUrl });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE rm_unions IN EXCLUSIVE MODE');
    const { events: secondEvents } = await writeLargeTenant(store, second, {
      progress: false,
      actor: 'test',
    });
    await locker.query('LOCK TABLE events IN EXCLUSIVE MODE');
    const token = await mintToken(SECRET, {
      sub: 'hq',
      tenant: first.tenantId,
      roles: ['OFFICER'],
    });
    const rootId = first.plan.unions[0]!.id;
    const inFlight = fetch(`${base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `mutation($i: EstablishUnionInput!) { establishUnion(input: $i) { union { parentId level } } }`,
        variables: { i: { parentId: rootId, name: 'new unit', level: 'SECONDARY_UNIT' } },
      }),
    }).then(async (r) => ({ status: r.status, body: (await r.json()) as { data?: unknown } }));
    await waitUntil('the request and the registry batch to wait on the locks', async () => {
      const { rows } = await db.ownerPool.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND application_name = 'union-api'
            AND wait_event_type = 'Lock'`,
      );
      return rows[0]!.n >= 2;
    });

    api.child.kill('SIGTERM');
    const refused = await waitUntil('new connections to be refused', () =>
      fetch(`${base}/health/live`).then(
        () => false,
        (error: { cause?: { code?: string } }) => error.cause?.code === 'ECONNREFUSED',
      ),
    );
    expect(refused).toBe(true);
    expect(api.child.exitCode).toBeNull(); // still draining: the request is in flight

    await locker.query('COMMIT');
    await locker.end();
    const answered = await inFlight;
    expect(answered).toEqual({
      status: 200,
      body: { data: { establishUnion: { union: { parentId: rootId, level: 'SECONDARY_UNIT' } } } },
    });
    expect(await api.exited).toBe('exit 0');

    // batches were committed with their checkpoint: every event up to the checkpoint was applied
    // exactly once, and the second tenant's unions are in the read model
    const after = await registryAt();
    expect(Number(after.position)).toBeGreaterThan(Number(before.position));
    const { rows: applied } = await db.ownerPool.query<{ n: string }>(
      `SELECT count(*) AS n FROM events e, subscription_checkpoints c
        WHERE c.name = 'registry' AND (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)`,
    );
    expect(after.done).toBe(applied[0]!.n);
    // the held batch and the rest the mutation waited for (read-your-writes) were all applied
    expect(Number(after.done) - Number(before.done)).toBeGreaterThan(secondEvents);
    const { rows: head } = await db.ownerPool.query<{ n: string }>(
      'SELECT count(*) AS n FROM events',
    );
    expect(after.done).toBe(head[0]!.n);
    const { rows: unions } = await db.ownerPool.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM rm_unions WHERE tenant_id = $1',
      [second.tenantId],
    );
    expect(unions[0]!.n).toBeGreaterThan(0);
    // no session of the server is left: pool, leader locks and listeners all closed
    const { rows: left } = await db.ownerPool.query<{ application_name: string }>(
      `SELECT application_name FROM pg_stat_activity
        WHERE datname = current_database() AND pid <> pg_backend_pid()
          AND application_name NOT LIKE 'test-%'`,
    );
    expect(left).toEqual([]);
    const output = api.output();
    expect(output).toContain('SIGTERM received: shutting down');
    expect(output).not.toMatch(/stopped: |shutdown step failed|after calling end on the pool/);
  });
});
