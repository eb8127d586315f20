import { randomUUID } from 'node:crypto';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { AUDIT_SEALER, AuditSealer, EVENT_STORE, type EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { gql } from './ops-client';
import { startApi } from '../support/test-api';

type Probe = {
  status: string;
  info?: Record<string, Record<string, unknown>>;
  error?: Record<string, Record<string, unknown>>;
};

describe('health probes and Prometheus metrics (real HTTP, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: NestExpressApplication;
  let base: string;
  const tenant = `ops-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    // followers do not run in this process, so the test decides when they catch up
    ({ app, base } = await startApi(db, { PROJECTOR: 'external', HEALTH_MAX_LAG_EVENTS: '3' }));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const probe = async (path: string) => {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: (await response.json()) as Probe };
  };
  const catchUp = async () => {
    await app.get(ProjectionRunner).catchUp();
    await app.get(AuditSealer).sealAll();
  };
  const append = (count: number) =>
    app.get<EventStore>(EVENT_STORE).appendToStream(
      tenant,
      `probe-${randomUUID()}`,
      Array.from({ length: count }, () => ({ type: 'OpsProbe', data: {} })),
    );
  const metrics = async () => (await fetch(`${base}/metrics`)).text();
  const sample = (text: string, series: string): number | undefined => {
    const line = text.split('\n').find((l) => l.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('live answers 200 whenever the process serves HTTP', async () => {
    expect(await probe('/health/live')).toEqual({
      status: 200,
      body: { status: 'ok', info: {}, error: {}, details: {} },
    });
  });

  it('ready checks the database, the migrations and every follower', async () => {
    await catchUp();
    const { status, body } = await probe('/health/ready');
    expect(status).toBe(200);
    expect(body.status).toBe('ok');
    expect(body.info?.database).toMatchObject({ status: 'up' });
    expect(body.info?.migrations).toMatchObject({ status: 'up', pending: [], changed: [] });
    const followers = body.info?.projections?.followers as Record<string, { lagEvents: number }>;
    expect(Object.keys(followers).sort()).toEqual(
      [AUDIT_SEALER, ...app.get(ProjectionRunner).projections.map((p) => p.name)].sort(),
    );
    expect(Object.values(followers).every((f) => f.lagEvents === 0)).toBe(true);
  });

  it('ready is 503 naming the projections while followers lag over the threshold', async () => {
    await append(5);
    const behind = await probe('/health/ready');
    expect(behind.status).toBe(503);
    expect(Object.keys(behind.body.error ?? {})).toEqual(['projections']);
    expect(behind.body.error?.projections).toMatchObject({
      status: 'down',
      maxLagEvents: 3,
      followers: expect.objectContaining({ registry: expect.objectContaining({ lagEvents: 5 }) }),
    });
    expect(behind.body.error?.projections?.behind).toEqual(expect.arrayContaining(['registry']));
    // lag is also exported, read at scrape time
    expect(sample(await metrics(), 'projection_lag_events{projection="registry"}')).toBe(5);
    await catchUp();
    expect((await probe('/health/ready')).status).toBe(200);
    expect(sample(await metrics(), 'projection_lag_events{projection="registry"}')).toBe(0);
    expect(sample(await metrics(), 'projection_lag_seconds{projection="registry"}')).toBe(0);
  });

  it('ready is 503 naming the migrations when one this build ships is not applied', async () => {
    const { rows } = await db.ownerPool.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations ORDER BY version DESC LIMIT 1',
    );
    const last = rows[0]!;
    await db.ownerPool.query('DELETE FROM schema_migrations WHERE version = $1', [last.version]);
    try {
      const { status, body } = await probe('/health/ready');
      expect(status).toBe(503);
      expect(Object.keys(body.error ?? {})).toEqual(['migrations']);
      expect(body.error?.migrations).toMatchObject({ status: 'down', pending: [last.version] });
    } finally {
      await db.ownerPool.query(
        'INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)',
        [last.version, last.checksum],
      );
    }
    expect((await probe('/health/ready')).status).toBe(200);
  });

  it('ready is 503 naming the database when the app cannot reach it; live stays 200', async () => {
    // the application role loses CONNECT and the pool's sessions are ended: every new connection
    // of the pool is refused (the API cannot start without its database, so it is cut off live)
    await db.ownerPool.query(`REVOKE CONNECT ON DATABASE ${db.name} FROM PUBLIC`);
    await db.ownerPool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
        WHERE datname = current_database() AND application_name = 'union-api'`,
    );
    try {
      expect((await probe('/health/live')).status).toBe(200);
      const { status, body } = await probe('/health/ready');
      expect(status).toBe(503);
      expect(body.error?.database).toMatchObject({ status: 'down', code: expect.any(String) });
    } finally {
      await db.ownerPool.query(`GRANT CONNECT ON DATABASE ${db.name} TO PUBLIC`);
    }
    expect((await probe('/health/ready')).status).toBe(200);
  });

  it('counts GraphQL operations by name (unnamed: anonymous), HTTP requests and events appended', async () => {
    const before = await metrics();
    const appendedBefore = sample(before, 'events_appended_total') ?? 0;
    await gql(base, 'query HealthProbe { health { status } }');
    await gql(base, 'query HealthProbe { health { status } }');
    await gql(base, '{ health { status } }');
    await gql(base, 'query Lookup13800138000 { health { status } }'); // digits: not a label
    await gql(base, '{ health { nope } }'); // fails validation
    await append(2);
    await append(3);
    const text = await metrics();
    expect(text).toContain('# TYPE graphql_operations_total counter');
    expect(
      sample(text, 'graphql_operations_total{operation="HealthProbe",type="query",outcome="ok"}'),
    ).toBe(2);
    expect(
      sample(text, 'graphql_operations_total{operation="anonymous",type="query",outcome="ok"}'),
    ).toBe(1);
    expect(
      sample(text, 'graphql_operations_total{operation="other",type="query",outcome="ok"}'),
    ).toBe(1);
    expect(
      sample(
        text,
        'graphql_operations_total{operation="anonymous",type="invalid",outcome="error"}',
      ),
    ).toBe(1);
    expect(
      sample(
        text,
        'graphql_operation_duration_seconds_count{operation="HealthProbe",type="query"}',
      ),
    ).toBe(2);
    expect(text).not.toContain('13800138000');
    expect(sample(text, 'events_appended_total')).toBe(appendedBefore + 5);
    expect(
      sample(text, 'http_requests_total{method="POST",route="/graphql",status="200"}'),
    ).toBeGreaterThanOrEqual(4);
    expect(sample(text, 'http_requests_total{method="POST",route="/graphql",status="400"}')).toBe(
      1,
    );
    expect(sample(text, 'db_pool_connections{state="total"}')).toBeGreaterThan(0);
    expect(sample(text, 'db_pool_connections{state="waiting"}')).toBeGreaterThanOrEqual(0);
    expect(sample(text, 'db_pool_max')).toBe(20);
    expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
    expect(text).not.toContain(tenant);
    await fetch(`${base}/no/such/${randomUUID()}`);
    expect(
      sample(await metrics(), 'http_requests_total{method="GET",route="other",status="404"}'),
    ).toBe(1);
  });
});
