import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { Client } from 'pg';
import { TenantSession } from './tenant-session';

describe('TenantSession', () => {
  let db: TestDatabase;
  const originalQuery = Client.prototype.query;
  /** Statements sent to a connection while another of its statements was still running. */
  let overlapping = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    const running = new WeakMap<Client, number>();
    Client.prototype.query = function (this: Client, ...args: unknown[]) {
      const busy = running.get(this) ?? 0;
      if (busy > 0) overlapping += 1;
      running.set(this, busy + 1);
      const result = Reflect.apply(originalQuery, this, args) as unknown;
      const done = () => running.set(this, (running.get(this) ?? 1) - 1);
      if (result instanceof Promise) result.then(done, done);
      else done();
      return result;
    } as typeof Client.prototype.query;
  });
  afterAll(async () => {
    Client.prototype.query = originalQuery;
    await db.close();
  });

  it('runs side-by-side reads on one connection one statement at a time, in the tenant', async () => {
    const tenant = `t-${randomUUID()}`;
    const session = new TenantSession(db.appPool, tenant);
    overlapping = 0;
    const reads = Array.from({ length: 20 }, (_, i) =>
      session.read(async (client) => {
        const [a, b] = await Promise.all([
          client.query<{ n: number; t: string }>(
            `SELECT $1::int AS n, current_setting('app.tenant_id') AS t`,
            [i],
          ),
          client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid'),
        ]);
        return { ...a.rows[0]!, pid: b.rows[0]!.pid };
      }),
    );
    const results = await Promise.all(reads);
    await session.close();
    expect(results.map((r) => r.n)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(new Set(results.map((r) => r.t))).toEqual(new Set([tenant]));
    expect(new Set(results.map((r) => r.pid)).size).toBe(1); // one connection for them all
    expect(overlapping).toBe(0);
  });

  it('fails the reads queued behind a failed statement and opens a fresh transaction after', async () => {
    const tenant = `t-${randomUUID()}`;
    const session = new TenantSession(db.appPool, tenant);
    const outcomes = await Promise.allSettled([
      session.read((c) => c.query('SELECT 1/0')),
      session.read((c) => c.query('SELECT 1 AS one')),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'rejected']);
    const after = await session.read((c) =>
      c.query<{ t: string }>(`SELECT current_setting('app.tenant_id') AS t`),
    );
    expect(after.rows[0]!.t).toBe(tenant);
    await session.close();
  });
});
