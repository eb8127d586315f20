import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { mintToken, type Role } from '@app/auth';
import type { Event } from '@app/core';
import { loadConfig } from '@app/database';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { AppModule } from '../../apps/api/src/app.module';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { liveClient, settled, untilWatching, type Json, type LiveClient } from './live-client';

const SECRET = 'e2e-live-audit-'.padEnd(40, 'x');
const established = (unionId: string, level: string, parentId: string | null): Event => ({
  type: 'UnionEstablished',
  data: { unionId, name: `Union ${unionId}`, level, parentId, establishedOn: '2024-01-01' },
});
const joined = (memberId: string, unionId: string, name: string): Event => ({
  type: 'MemberImported',
  data: {
    memberId,
    unionId,
    name,
    gender: 'FEMALE',
    employeeNo: `E-${memberId}`,
    nationalId: null,
    phone: null,
    joinedOn: '2024-02-01',
    cardNumber: null,
    cardNumberGenerated: false,
    status: 'ACTIVE',
    duesExempt: false,
    duesLiableFrom: '2024-02',
    importedOn: '2026-11-01',
  },
});
const AUDIT = `subscription($after: String, $filter: AuditFilter) {
  auditEvents(afterPosition: $after, filter: $filter) { position tenantSequence streamId type data hash } }`;

describe('auditEvents over graphql-ws', () => {
  let db: TestDatabase;
  let app: INestApplication;
  let wsUrl: string;
  let store: EventStore;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    const config = loadConfig({ NODE_ENV: 'test', AUTH_JWT_SECRET: SECRET });
    app = await NestFactory.create(AppModule.register({ config, appUrl: db.appUrl }), {
      logger: false,
    });
    await app.listen(0, '127.0.0.1');
    wsUrl = `${await app.getUrl()}/graphql`.replace(/^http/, 'ws');
    store = app.get<EventStore>(EVENT_STORE);
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    await app.close();
    await db.close();
  });

  const connect = async (tenant: string, role: Role, unit?: string) => {
    const client = liveClient(
      wsUrl,
      `Bearer ${await mintToken(SECRET, { sub: 'auditor-1', tenant, roles: [role], unit })}`,
    );
    clients.push(client);
    return client;
  };
  async function tenantWithTree(): Promise<string> {
    const tenant = `t-${randomUUID()}`;
    await store.appendToStream(tenant, 'union-co', [established('co', 'COMPANY', null)]);
    await store.appendToStream(tenant, 'union-s1', [established('s1', 'SECONDARY_UNIT', 'co')]);
    await store.appendToStream(tenant, 'union-s2', [established('s2', 'SECONDARY_UNIT', 'co')]);
    return tenant;
  }
  /** One event: member n joins the union, named `Name n`. */
  const join = (tenant: string, unionId: string, n: number) =>
    store.appendToStream(tenant, `member-m${n}`, [joined(`m${n}`, unionId, `Name ${n}`)]);
  const names = (results: { data?: Json | null }[]) =>
    results.map((r) => ((r.data?.auditEvents as Json).data as Json).name);

  it('delivers every sealed event in chain order, and resumes after a reconnect without a gap', async () => {
    const tenant = await tenantWithTree();
    const other = await tenantWithTree();
    await settled(app);
    const first = await connect(tenant, 'AUDITOR');
    const live = first.subscribe(AUDIT);
    await untilWatching(app, 1);
    for (let n = 1; n <= 3; n++) await join(tenant, n % 2 ? 's1' : 's2', n);
    await join(other, 's1', 99);
    const before = await live.atLeast(3);
    expect(names(before)).toEqual(['Name 1', 'Name 2', 'Name 3']);

    await first.dispose();
    while (app.get(LiveHub).watching() > 0) await new Promise((r) => setTimeout(r, 10));
    for (let n = 4; n <= 7; n++) await join(tenant, 's1', n);
    const last = before.at(-1)!.data?.auditEvents as Json;
    const resumed = (await connect(tenant, 'AUDITOR')).subscribe(AUDIT, { after: last.position });
    await resumed.atLeast(4);
    await join(tenant, 's2', 8);
    const after = await resumed.atLeast(5);

    const all = [...before, ...after].map((r) => r.data?.auditEvents as Json);
    expect(names([...before, ...after])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Name ${n}`));
    const sequences = all.map((e) => Number(e.tenantSequence));
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));
    expect(new Set(all.map((e) => e.hash)).size).toBe(8);
  });

  it('filters to a union, and refuses officers and positions that are not sealed events', async () => {
    const tenant = await tenantWithTree();
    await settled(app);
    const auditor = await connect(tenant, 'AUDITOR');
    const s2Only = auditor.subscribe(AUDIT, { filter: { unionId: 's2' } });
    await untilWatching(app, 1);
    const badPosition = auditor.subscribe(AUDIT, { after: '999999999' });
    const officer = (await connect(tenant, 'OFFICER')).subscribe(AUDIT);
    const scoped = (await connect(tenant, 'AUDITOR', 's1')).subscribe(AUDIT, {
      filter: { unionId: 's2' },
    });
    for (let n = 1; n <= 4; n++) await join(tenant, n % 2 ? 's1' : 's2', n);
    expect(names(await s2Only.atLeast(2))).toEqual(['Name 2', 'Name 4']);
    const codes = await Promise.all(
      [badPosition, officer, scoped].map(
        async (r) => (await r.atLeast(1))[0]?.errors?.[0]?.extensions?.code,
      ),
    );
    expect(codes).toEqual(['NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN']);
    expect([badPosition, officer, scoped].every((r) => r.results.every((m) => !m.data))).toBe(true);
  });
});
