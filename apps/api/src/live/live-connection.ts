import type { IncomingMessage } from 'node:http';
import { AccessError, type JwtVerifier, type Viewer } from '@app/auth';
import type { GraphQLWsSubscriptionsConfig } from '@nestjs/graphql';
import { GraphQLError } from 'graphql';
import type { Context } from 'graphql-ws';
import { decodeJwt } from 'jose';
import type { WebSocket } from 'ws';
import type { SharedExecution } from './shared-execution';

export interface LiveLimits {
  /** subscriptions one connection may hold at once */
  maxSubscriptionsPerConnection: number;
  /** at most one message per union per subscriber in this window (latest state wins) */
  coalesceMs: number;
  /** a client that has not taken its last message for this long while more changes come is dropped */
  slowAfterMs: number;
}

export const DEFAULT_LIVE_LIMITS: LiveLimits = {
  maxSubscriptionsPerConnection: 50,
  coalesceMs: 1_000,
  slowAfterMs: 10_000,
};

/** Close codes: graphql-ws's own 4401/4403, and one for a client that does not keep up. */
export const LIVE_CLOSE = { unauthorized: 4401, forbidden: 4403, slowClient: 4008 } as const;

/** The subscriber's connection: who it is (checked in connection_init) and how to end it. */
export class LiveConnection {
  private expiry: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: WebSocket,
    readonly authorization: string,
    readonly viewer: Viewer,
    readonly limits: LiveLimits,
  ) {
    // the same JWT rules as HTTP: a token that expires during the connection ends it then
    const { exp } = decodeJwt(authorization.replace(/^Bearer\s+/i, ''));
    if (typeof exp === 'number') {
      const ms = Math.min(exp * 1000 - Date.now(), 2 ** 31 - 1);
      this.expiry = setTimeout(
        () => this.close(LIVE_CLOSE.unauthorized, 'the token has expired'),
        ms,
      );
      this.expiry.unref();
    }
  }

  /**
   * Drops a client that stopped reading, instead of holding its messages in memory. Only when
   * its socket still holds unsent bytes: a message that waits because the server itself is busy
   * (resolving the previous one) is not the client's fault.
   */
  slow(): void {
    if (this.socket.bufferedAmount === 0) return;
    this.close(
      LIVE_CLOSE.slowClient,
      `slow client: no message taken for ${this.limits.slowAfterMs / 1000} s; reconnect to resume`,
    );
  }

  close(code: number, reason: string): void {
    this.dispose();
    this.socket.close(code, reason.slice(0, 120));
  }

  dispose(): void {
    clearTimeout(this.expiry);
  }
}

export interface LiveExtra {
  socket: WebSocket;
  request: IncomingMessage;
  live?: LiveConnection;
}

type LiveContext = Context<Record<string, unknown> | undefined, LiveExtra>;

/**
 * graphql-ws hooks: the bearer token of `connection_init` ({ authorization: "Bearer ..." }) is
 * verified like an HTTP header (4401 when missing, invalid or expired; 4403 when valid but with
 * no tenant to watch), and each connection holds at most `maxSubscriptionsPerConnection`.
 */
export function liveSocketOptions(
  verifier: JwtVerifier,
  limits: LiveLimits,
  shared?: SharedExecution,
): GraphQLWsSubscriptionsConfig {
  const options = {
    // @nestjs/graphql hands every graphql-ws option on to useServer (its type names only some):
    // one parse, validation and execution per group of identical subscriptions
    ...shared?.serverOptions(),
    path: '/graphql',
    onConnect: async (generic: Context) => {
      const ctx = generic as LiveContext;
      const raw = ctx.connectionParams?.authorization ?? ctx.connectionParams?.Authorization;
      const authorization = typeof raw === 'string' ? raw : '';
      try {
        const viewer = await verifier.verify(authorization);
        if (!viewer.tenantId) {
          ctx.extra.socket.close(LIVE_CLOSE.forbidden, 'Forbidden: subscriptions need a tenant');
          return false;
        }
        ctx.extra.live = new LiveConnection(ctx.extra.socket, authorization, viewer, limits);
        return true;
      } catch (error) {
        const why = error instanceof AccessError ? error.messages.en : 'Not authenticated';
        ctx.extra.socket.close(LIVE_CLOSE.unauthorized, `Unauthorized: ${why}`.slice(0, 120));
        return false;
      }
    },
    onSubscribe: (generic: Context) => {
      const ctx = generic as LiveContext;
      // the new subscription is already registered when this runs
      if (Object.keys(ctx.subscriptions).length > limits.maxSubscriptionsPerConnection) {
        return [
          new GraphQLError(
            `at most ${limits.maxSubscriptionsPerConnection} subscriptions per connection`,
            { extensions: { code: 'BAD_USER_INPUT', rule: 'SUBSCRIPTION_LIMIT' } },
          ),
        ];
      }
      return undefined;
    },
    onClose: (generic: Context) => {
      (generic as LiveContext).extra.live?.dispose();
    },
  };
  return options;
}
