import { randomUUID } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { mintToken, type TokenClaims } from '@app/auth';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  createTestDatabase,
  memberImported,
  unionEstablished,
  type TestDatabase,
} from '@app/testing';
import type { LiveLimits } from '../../apps/api/src/live/live-connection';
import { SECRET, startApi } from '../support/test-api';
import { liveClient, type LiveClient } from './live-client';

/** A live spec's API (as main.ts builds it) on the file's own database, and its clients. */
export interface LiveServer {
  app: INestApplication;
  store: EventStore;
  /** The file's database (its owner pool for tampering: revoking a grant, terminating sessions). */
  db: TestDatabase;
  /** The GraphQL endpoint over HTTP. */
  httpUrl: string;
  /** The same over WebSocket. */
  wsUrl: string;
  /** An OFFICER token of `tenant` (a fresh subject each time), `claims` overriding. */
  token(tenant: string, claims?: Partial<TokenClaims>): Promise<string>;
  /** A graphql-ws client with that token, closed after the test. */
  connect(tenant: string, claims?: Partial<TokenClaims>): Promise<LiveClient>;
  /** A client of one's own (another header, no token), closed after the test too. */
  track(client: LiveClient): LiveClient;
}

/**
 * Registers the file's hooks: the API starts before its tests and stops after them, and the
 * clients a test opened are closed after it. The fields are there once `beforeAll` has run.
 */
export function liveServer(
  limits?: Partial<LiveLimits>,
  /** configuration of the API (e.g. a small pool: DB_POOL_MAX) */
  env: Record<string, string> = {},
  /** where the API's log lines go (discarded when absent) */
  log?: { write(chunk: string): void },
): LiveServer {
  let db: TestDatabase;
  const clients: LiveClient[] = [];
  const server = {
    token: (tenant: string, claims: Partial<TokenClaims> = {}) =>
      mintToken(SECRET, { sub: `u-${randomUUID()}`, tenant, roles: ['OFFICER'], ...claims }),
    connect: async (tenant: string, claims: Partial<TokenClaims> = {}) =>
      server.track(liveClient(server.wsUrl, `Bearer ${await server.token(tenant, claims)}`)),
    track: (client: LiveClient) => {
      clients.push(client);
      return client;
    },
  } as LiveServer;
  beforeAll(async () => {
    db = server.db = await createTestDatabase();
    const api = await startApi(db, env, log, limits);
    server.app = api.app;
    server.store = api.app.get<EventStore>(EVENT_STORE);
    server.httpUrl = api.url;
    server.wsUrl = api.url.replace(/^http/, 'ws');
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.dispose()));
  });
  afterAll(async () => {
    await server.app.close();
    await db.close();
  });
  return server;
}

/**
 * A new tenant with the company `co`, its secondary units `s1` and `s2` and the team `t1` under
 * `s1` (the same union ids in every tenant), and members imported into the unions given
 * (`{ m0: 't1' }`). Not yet projected: call `settled` when a test needs that.
 */
export async function unionTree(
  store: EventStore,
  members: Record<string, string> = {},
): Promise<string> {
  const tenant = `t-${randomUUID()}`;
  await store.appendToStream(tenant, 'union-co', [unionEstablished('co', 'COMPANY', null)]);
  await store.appendToStream(tenant, 'union-s1', [unionEstablished('s1', 'SECONDARY_UNIT', 'co')]);
  await store.appendToStream(tenant, 'union-s2', [unionEstablished('s2', 'SECONDARY_UNIT', 'co')]);
  await store.appendToStream(tenant, 'union-t1', [unionEstablished('t1', 'TEAM', 's1')]);
  for (const [memberId, unionId] of Object.entries(members))
    await store.appendToStream(tenant, `member-${memberId}`, [memberImported(memberId, unionId)]);
  return tenant;
}
