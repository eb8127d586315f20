import { Logger } from '@nestjs/common';
import { AccessError } from '@app/auth';
import { DomainError } from '@app/core';
import { GraphQLError } from 'graphql';

/** Codes of errors that are the subscriber's own (its scope, its arguments): retrying cannot help. */
const OWN_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'UNAUTHENTICATED']);

/** First retry after this long, doubling per failed attempt up to RETRY_MAX_MS (then jittered). */
export const RETRY_FIRST_MS = 250;
export const RETRY_MAX_MS = 4_000;

/**
 * Whether a failed live read is the subscriber's own, permanent error (its scope changed, the
 * union is gone): that subscription ends with it. Anything else (a saturated pool, a lost
 * connection, any database error) is the server's trouble and is retried.
 */
export function isSubscribersOwn(error: unknown): boolean {
  if (error instanceof AccessError || error instanceof DomainError) return true;
  if (error instanceof GraphQLError) return OWN_CODES.has(String(error.extensions.code));
  return false;
}

/** Delay before retry `attempt` (1, 2, …): 250 ms doubling up to 4 s, jittered to 50–100 %. */
export function retryDelay(attempt: number, random: () => number = Math.random): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.max(0, attempt - 1));
  return Math.round(base * (0.5 + random() / 2));
}

/** What a failed read says about itself in a log line: class and code, never a message. */
function describe(error: unknown): string {
  const coded = error as { name?: string; code?: unknown; extensions?: { code?: unknown } };
  const code = typeof coded.code === 'string' ? coded.code : coded.extensions?.code;
  return `${coded.name ?? 'Error'}${typeof code === 'string' ? ` ${code}` : ''}`;
}

export type LiveSubscriptionKind = 'unionChanged' | 'complianceAlertsChanged' | 'auditEvents';

/** Where the counts go (prom-client counters in the API; nothing in unit tests). */
export interface LiveFailureMetrics {
  retried(kind: LiveSubscriptionKind): void;
  ended(kind: LiveSubscriptionKind): void;
}

/**
 * The process's record of failed live reads: one log line when a burst of failures starts (179
 * subscribers failing on one shared read are one line), one when reads succeed again, and a
 * count of every retried read (metrics). Log lines carry error class and code only: a database
 * message can quote data.
 */
export class LiveReadFailures {
  private readonly log = new Logger('Live');
  /** failed reads in the current burst; 0 when the last read succeeded */
  private burst = 0;
  /** every read retried since start, and subscriptions ended by their own error (tests) */
  readonly counts = { retried: 0, ended: 0 };

  constructor(private readonly metrics?: LiveFailureMetrics) {}

  /** A read failed and will be retried: the subscription stays open. */
  retried(kind: LiveSubscriptionKind, error: unknown): void {
    this.counts.retried += 1;
    this.metrics?.retried(kind);
    if (this.burst++ === 0)
      this.log.warn(
        `live reads failing (${describe(error)}); subscriptions stay open and retry with backoff`,
      );
  }

  /** A read failed with the subscriber's own error: that subscription ends with it. */
  ended(kind: LiveSubscriptionKind): void {
    this.counts.ended += 1;
    this.metrics?.ended(kind);
  }

  /** A read succeeded: a burst of failures is over. */
  succeeded(): void {
    if (this.burst === 0) return;
    this.log.log(`live reads recovered after ${this.burst} failed reads`);
    this.burst = 0;
  }

  /** Whether reads are failing right now (tests). */
  failing(): boolean {
    return this.burst > 0;
  }
}
