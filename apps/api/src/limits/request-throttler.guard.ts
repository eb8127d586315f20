import { Injectable, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import {
  ThrottlerGuard,
  type ThrottlerLimitDetail,
  type ThrottlerRequest,
} from '@nestjs/throttler';
import type { Viewer } from '@app/auth';
import { GraphQLError } from 'graphql';
import type { ApiContext } from '../context/api-context';

type Carrier = Record<string, unknown>;

/** The rate-limit tracker of a verified token: one budget per user of a tenant. */
export const tokenTracker = (viewer: Viewer): string =>
  `token:${viewer.tenantId ?? '-'}:${viewer.userId}`;

/** A counter's key in the throttler storage: per throttler and tracker, not per handler. */
export const throttleKey = (throttler: string, tracker: string): string =>
  `${throttler}:${tracker}`;

/**
 * Rate limit per caller, for GraphQL as well as plain HTTP: the key is the verified token's
 * tenant and subject (one budget per user across all operations), or the client IP for requests
 * without a valid token. A GraphQL request counts once however many root fields it has. Over the
 * limit: TOO_MANY_REQUESTS with the limit, the window and when to retry, and a Retry-After header
 * (HTTP 429 for GraphQL too: rate-limit-status.plugin.ts; plain HTTP routes answer 429 here).
 * The counters live in this process (several replicas each allow the limit).
 */
@Injectable()
export class RequestThrottlerGuard extends ThrottlerGuard {
  private readonly contexts = new WeakMap<object, ApiContext>();
  private readonly counted = new WeakMap<object, Map<string, Promise<boolean>>>();

  protected override getRequestResponse(context: ExecutionContext): {
    req: Carrier;
    res: Carrier;
  } {
    if (context.getType<GqlContextType>() !== 'graphql') return super.getRequestResponse(context);
    const ctx = GqlExecutionContext.create(context).getContext<ApiContext>();
    // a subscription over WebSocket has no HTTP request: the context stands for it
    const req = (ctx.req ?? ctx) as unknown as Carrier;
    this.contexts.set(req, ctx);
    return { req, res: (ctx.req?.res ?? {}) as unknown as Carrier };
  }

  protected override async getTracker(req: Carrier): Promise<string> {
    const ctx = this.contexts.get(req);
    if (ctx) {
      try {
        return tokenTracker(await ctx.viewer());
      } catch {
        // no or an invalid token: the client's address
      }
    }
    const ip = typeof req.ip === 'string' ? req.ip : ctx?.req?.ip;
    return `ip:${ip ?? 'unknown'}`;
  }

  protected override generateKey(_context: ExecutionContext, tracker: string, name: string) {
    return throttleKey(name, tracker); // one budget across every operation
  }

  protected override handleRequest(props: ThrottlerRequest): Promise<boolean> {
    const { req } = this.getRequestResponse(props.context);
    let perRequest = this.counted.get(req);
    if (!perRequest) {
      perRequest = new Map();
      this.counted.set(req, perRequest);
    }
    const name = props.throttler.name ?? 'default';
    let outcome = perRequest.get(name);
    if (!outcome) {
      outcome = super.handleRequest(props);
      perRequest.set(name, outcome);
    }
    return outcome;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    if (context.getType<GqlContextType>() !== 'graphql')
      return super.throwThrottlingException(context, detail);
    const windowSeconds = Math.round(detail.ttl / 1000);
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new GraphQLError(
      `Too many requests: at most ${detail.limit} per ${windowSeconds} s; retry in ${retryAfterSeconds} s`,
      {
        extensions: {
          code: 'TOO_MANY_REQUESTS',
          limit: detail.limit,
          windowSeconds,
          retryAfterSeconds,
        },
      },
    );
  }
}
