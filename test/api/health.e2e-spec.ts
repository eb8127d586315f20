import type { INestApplication } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { silentLog } from '@app/core';
import { ProjectionRunner } from '@app/read-models';
import { demoInstructions, ensureDemoTenant } from '../../apps/api/src/demo/demo-tenant';
import { SECRET, startApi } from '../support/test-api';

describe('API server (real HTTP, real PostgreSQL)', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    ({ app, url } = await startApi(db));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const graphql = async (query: string) => {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query }),
    });
    return {
      status: response.status,
      body: (await response.json()) as { data?: unknown; errors?: unknown[] },
    };
  };

  it('serves GraphQL and reports the head of the log', async () => {
    const { status, body } = await graphql('{ health { status database headPosition } }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ health: { status: 'ok', database: true, headPosition: '0' } });
  });

  it('runs the audit sealer in-process, woken by commits', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const { position } = await store.appendToStream('tenant-e2e', 'union-1', [
      { type: 'HealthProbe', data: {} },
    ]);
    let lag = -1;
    for (let i = 0; i < 100 && lag !== 0; i++) {
      const { body } = await graphql(
        '{ health { headPosition followers { name position lagEvents } } }',
      );
      const health = (
        body.data as {
          health: { followers: { name: string; position: string; lagEvents: number }[] };
        }
      ).health;
      const sealer = health.followers.find((f) => f.name === 'audit-sealer');
      lag = sealer && Number(sealer.position) === position ? sealer.lagEvents : -1;
      if (lag !== 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(lag).toBe(0);
  });

  it('answers a malformed query with a 400 and a message, not a crash', async () => {
    const { status, body } = await graphql('{ health { nope } }');
    expect(status).toBe(400);
    expect(body.errors).toEqual([
      expect.objectContaining({
        message: 'Cannot query field "nope" on type "Health".',
        extensions: { code: 'BAD_USER_INPUT', rule: 'GRAPHQL_VALIDATION_FAILED' },
      }),
    ]);
  });

  it('writes the demo tenant once and prints working tokens', async () => {
    const store = app.get<EventStore>(EVENT_STORE);
    const first = await ensureDemoTenant(store, silentLog);
    expect(first).toMatchObject({ tenantId: 'demo', created: true });
    expect(first.events).toBeGreaterThan(1000);
    const again = await ensureDemoTenant(store, silentLog);
    expect(again).toMatchObject({ created: false, rootUnionId: first.rootUnionId });
    const text = await demoInstructions(SECRET, first, url);
    const token = /OFFICER \(HQ\):\s+Bearer (\S+)/.exec(text)?.[1];
    await app.get(ProjectionRunner).catchUp();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({
        query: `{ union(id: "${first.rootUnionId}") { level stats { subtreeMembers } } }`,
      }),
    });
    const body = (await response.json()) as {
      data: { union: { level: string; stats: { subtreeMembers: number } } };
    };
    expect(body.data.union.level).toBe('COMPANY');
    expect(body.data.union.stats.subtreeMembers).toBeGreaterThan(100);
  });
});
