import type { INestApplication } from '@nestjs/common';
import { LIVE_CHANNEL, LivePublisher, ProjectionRunner } from '@app/read-models';
import { AuditSealer } from '@app/event-store';
import { APP_POOL } from '@app/database';
import { createClient, type Client } from 'graphql-ws';
import type { Pool } from 'pg';
import WebSocket from 'ws';
import { LiveHub } from '../../apps/api/src/live/live-hub';

export type Json = Record<string, unknown>;
export interface Result {
  data?: Json | null;
  errors?: { message: string; extensions?: Json }[];
}

/** What one subscription received, and a way to wait for the next message. */
export class Received {
  readonly results: Result[] = [];
  completed = false;
  failure: unknown;
  private wakers: (() => void)[] = [];

  push(result: Result): void {
    this.results.push(result);
    this.wake();
  }
  end(failure?: unknown): void {
    this.completed = true;
    this.failure = failure;
    this.wake();
  }
  /** Resolves once `count` results arrived (or the subscription ended). */
  async atLeast(count: number): Promise<Result[]> {
    while (this.results.length < count && !this.completed)
      await new Promise<void>((resolve) => this.wakers.push(resolve));
    return this.results;
  }
  private wake(): void {
    this.wakers.splice(0).forEach((w) => w());
  }
}

export interface LiveClient {
  client: Client;
  /** the close event of the socket, when the server closes it */
  closed: Promise<{ code: number; reason: string }>;
  subscribe(query: string, variables?: Json): Received;
  dispose(): Promise<void>;
}

/**
 * A graphql-ws client that connects at once; `headers` go on its upgrade request (graphql-ws
 * sends none itself), e.g. an Accept-Language.
 */
export function liveClient(
  url: string,
  authorization: string | undefined,
  headers: Record<string, string> = {},
): LiveClient {
  let onClosed: (event: { code: number; reason: string }) => void = () => undefined;
  const closed = new Promise<{ code: number; reason: string }>((resolve) => (onClosed = resolve));
  class WithHeaders extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, { headers });
    }
  }
  const client = createClient({
    url,
    webSocketImpl: WithHeaders,
    retryAttempts: 0,
    lazy: false,
    connectionParams: authorization ? { authorization } : {},
    on: {
      closed: (event) => {
        const e = event as { code: number; reason: string };
        onClosed({ code: e.code, reason: String(e.reason) });
      },
    },
    onNonLazyError: () => undefined,
  });
  return {
    client,
    closed,
    subscribe(query, variables = {}) {
      const received = new Received();
      client.subscribe<Json>(
        { query, variables },
        {
          next: (r) => received.push(r as Result),
          error: (e) => received.end(e),
          complete: () => received.end(),
        },
      );
      return received;
    },
    dispose: () => client.dispose() as Promise<void>,
  };
}

/** Waits until the API process has registered `count` live subscriptions. */
export async function untilWatching(app: INestApplication, count: number): Promise<void> {
  const hub = app.get(LiveHub);
  while (hub.watching() < count) await new Promise((r) => setTimeout(r, 10));
}

/**
 * Everything committed so far is projected, sealed, published and heard by the hub: a marker
 * NOTIFY sent after it arrives last (notifications are delivered in commit order). The default
 * marker names no tenant, which the API takes as "anything may have changed" (live subscribers
 * re-read, cached answers go); `markerTenant` names a tenant instead, and only its answers go.
 */
export async function settled(app: INestApplication, markerTenant?: string): Promise<void> {
  await app.get(ProjectionRunner).catchUp();
  await app.get(AuditSealer).sealAll();
  await app.get(LivePublisher).flushed();
  const hub = app.get(LiveHub);
  const before = hub.notificationsReceived;
  const marker = markerTenant ? JSON.stringify({ t: markerTenant, a: 1 }) : '{}';
  await app.get<Pool>(APP_POOL).query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, marker]);
  while (hub.notificationsReceived <= before) await new Promise((r) => setTimeout(r, 10));
}
