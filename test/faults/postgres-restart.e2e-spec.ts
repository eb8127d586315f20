import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintToken } from '@app/auth';
import { createPool, ensureAppRole, ensureDatabase, runMigrations } from '@app/database';
import { unionStreamId } from '@app/unions';
import type { Pool } from 'pg';
import { mutationClient, SECRET, type Json } from '../api/mutation-client';
import { buildOnce, RestartableCluster, waitUntil } from './fault-processes';
import { startApi } from '../support/test-api';

describe('PostgreSQL restarted under a running API', () => {
  const pg = new RestartableCluster();
  let app: INestApplication | undefined;
  let owner: Pool | undefined;
  let url = '';
  const { gql, mutate, ok } = mutationClient(() => url);
  const T = `pg-${randomUUID()}`;
  const tokens: Record<string, string> = {};
  let root = '';

  beforeAll(async () => {
    buildOnce();
    const cluster = await pg.start();
    await ensureDatabase(cluster.urlFor('postgres'), 'faults');
    const ownerUrl = cluster.urlFor('faults');
    await runMigrations(ownerUrl);
    await ensureAppRole(ownerUrl, 'union_fault_app', 'union_fault_app');
    const appUrl = cluster.urlFor('faults', 'union_fault_app', 'union_fault_app');
    ({ app, url } = await startApi({ appUrl }, { AUTH_JWT_SECRET: SECRET }));
    owner = createPool(ownerUrl, { max: 2, applicationName: 'test-owner' });
    tokens.admin = await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] });
    tokens.hq = await mintToken(SECRET, { sub: 'hq', tenant: T, roles: ['OFFICER'] });
    const provisioned = await ok('provisionTenant', tokens.admin, {
      tenantId: T,
      name: 'Restart',
      rootUnionName: '总工会',
    });
    root = (provisioned.rootUnion as Json).id as string;
  });
  afterAll(async () => {
    await app?.close();
    await owner?.end();
    await pg.remove();
  });

  const unionQuery = () => gql(`{ union(id: "${root}") { id name } }`, tokens.hq ?? '');
  const establish = (commandId: string) =>
    mutate('establishUnion', tokens.hq ?? '', {
      parentId: root,
      name: `分会 ${commandId}`,
      level: 'SECONDARY_UNIT',
      commandId,
    });
  const provision = (tenantId: string) =>
    mutate('provisionTenant', tokens.admin ?? '', {
      tenantId,
      name: tenantId,
      rootUnionName: '总工会',
      commandId: `c-${tenantId}`,
    });
  /** Events of one tenant, or of one stream, counted as the owner (no RLS). */
  const count = async (tenantId: string, streamId?: string) => {
    const { rows } = await owner!.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND ($2::text IS NULL OR stream_id = $2)',
      [tenantId, streamId ?? null],
    );
    return rows[0]?.n ?? 0;
  };

  const establishedId = (r: { payload: Json | null }) =>
    (r.payload?.union as Json | undefined)?.id as string;

  /** The reply says "unavailable, retry": typed, and nothing of SQL, hosts or stacks in it. */
  const expectUnavailable = (error: Json | null) => {
    expect(error).toMatchObject({ code: 'SERVICE_UNAVAILABLE', rule: 'DATABASE_UNAVAILABLE' });
    expect(JSON.stringify(error)).not.toMatch(/select|insert|ECONN|127\.0\.0\.1|\.js:\d|stack/i);
  };

  it('fails fast while down, recovers without a restart, and no command is half-written', async () => {
    expect((await unionQuery()).data?.union).toEqual({ id: root, name: '总工会' });
    // the size of one set of each command's events, from runs without a fault
    const refTenant = `ref-${randomUUID()}`;
    expect((await provision(refTenant)).error).toBeNull();
    const tenantSet = await count(refTenant);
    const refUnion = establishedId(await establish('ref-union'));
    const unionSet = await count(T, unionStreamId(refUnion));
    expect(tenantSet).toBeGreaterThanOrEqual(2);
    expect(unionSet).toBeGreaterThanOrEqual(1);

    // commands in flight while the server stops (fast shutdown: sessions are terminated)
    const tenants = Array.from({ length: 4 }, () => `p-${randomUUID()}`);
    const commandIds = Array.from({ length: 4 }, () => `e-${randomUUID()}`);
    const inFlight = Promise.all([
      ...tenants.map((t) => provision(t)),
      ...commandIds.map((c) => establish(c)),
    ]);
    // stop once the first of them has committed: it and others are still waiting for the read
    // models (the client has no answer yet), the rest are still on their way to the store
    const written = async () => {
      const { rows } = await owner!.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events WHERE tenant_id = ANY($1)',
        [tenants],
      );
      return (rows[0]?.n ?? 0) > 0;
    };
    await waitUntil('a command to reach the store', written, 10_000, 1);
    await pg.stop();
    for (const outcome of await inFlight) if (outcome.error) expectUnavailable(outcome.error);

    // while it is down: a clear, typed error well before the 30 s statement timeout
    for (const request of [
      async () => {
        const r = await unionQuery();
        expect(r.data?.union ?? null).toBeNull();
        return {
          error: r.errors?.[0] ? { ...r.errors[0].extensions, message: r.errors[0].message } : null,
        };
      },
      () => establish(`down-${randomUUID()}`),
      () => provision(`down-${randomUUID()}`),
    ]) {
      const started = Date.now();
      expectUnavailable((await request()).error);
      expect(Date.now() - started).toBeLessThan(5_000);
    }

    // back on the same port: the same API process answers again (the pool reconnects)
    await pg.start();
    await waitUntil(
      'the API to answer again',
      async () => (await unionQuery()).data?.union,
      20_000,
      200,
    );

    // each in-flight command wrote all of its events or none; a retry with its id completes it once
    for (const tenantId of tenants) {
      expect([0, tenantSet]).toContain(await count(tenantId));
      expect((await provision(tenantId)).error).toBeNull();
      expect(await count(tenantId)).toBe(tenantSet);
    }
    for (const commandId of commandIds) {
      const retried = await establish(commandId);
      expect(retried.error).toBeNull();
      expect(await count(T, unionStreamId(establishedId(retried)))).toBe(unionSet);
    }
    // and new work flows through the followers again (the payload waits for the read models)
    const after = await establish(`after-${randomUUID()}`);
    expect(after.error).toBeNull();
    expect(after.payload?.union).toMatchObject({ status: 'ACTIVE', parentId: root });
  });
});
