import { followerLag } from '@app/event-store';
import type { Pool } from 'pg';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OperationLabels } from './operation-label';

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The routes this server has; any other path is counted as "other" (bounded labels). */
const KNOWN_ROUTES = new Set(['/graphql', '/health/live', '/health/ready', '/metrics']);

export function routeLabel(url: string | undefined): string {
  const path = (url ?? '').split('?')[0] ?? '';
  return KNOWN_ROUTES.has(path) ? path : 'other';
}

/**
 * Every metric of one process, in its own registry (tests run several apps in one process).
 * Labels are route, method, status, operation name and type, projection name: never ids,
 * tenants or personal data. Projection lag and pool usage are read when Prometheus scrapes.
 */
export class OperationsMetrics {
  readonly registry = new Registry();
  readonly operationLabels = new OperationLabels();
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  readonly httpDuration: Histogram<'method' | 'route' | 'status'>;
  readonly graphqlOperations: Counter<'operation' | 'type' | 'outcome'>;
  readonly graphqlDuration: Histogram<'operation' | 'type'>;
  readonly eventsAppended: Counter;
  /** Cacheable queries answered from the response cache (hit) or executed (miss). */
  readonly responseCache: Counter<'outcome'>;
  /** Live reads that failed and are retried (subscriptions open), and subscriptions ended by their own error. */
  readonly liveReadRetries: Counter<'subscription'>;
  readonly liveSubscriptionErrors: Counter<'subscription'>;
  private lagScrape: Promise<void> | undefined;

  constructor(
    private readonly pool: Pool,
    private readonly followers: () => string[],
  ) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.httpRequests = new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by route, method and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.httpDuration = new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request latency by route, method and status',
      labelNames: ['method', 'route', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.graphqlOperations = new Counter({
      name: 'graphql_operations_total',
      help: 'GraphQL operations by operation name (unnamed: anonymous), type and outcome',
      labelNames: ['operation', 'type', 'outcome'],
      registers,
    });
    this.graphqlDuration = new Histogram({
      name: 'graphql_operation_duration_seconds',
      help: 'GraphQL operation latency by operation name and type',
      labelNames: ['operation', 'type'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.eventsAppended = new Counter({
      name: 'events_appended_total',
      help: 'Events appended to the store by this process (repeated command ids excluded)',
      registers,
    });
    this.responseCache = new Counter({
      name: 'graphql_response_cache_total',
      help: 'Cacheable GraphQL queries answered from the response cache (hit) or executed (miss)',
      labelNames: ['outcome'],
      registers,
    });
    this.liveReadRetries = new Counter({
      name: 'live_read_retries_total',
      help: 'Live subscription reads that failed (database error) and are retried with backoff, by subscription field',
      labelNames: ['subscription'],
      registers,
    });
    this.liveSubscriptionErrors = new Counter({
      name: 'live_subscription_errors_total',
      help: "Live subscriptions ended by the subscriber's own error (FORBIDDEN, NOT_FOUND), by subscription field",
      labelNames: ['subscription'],
      registers,
    });
    const lagEvents = new Gauge({
      name: 'projection_lag_events',
      help: 'Events in the log not yet applied, per follower (projections and the audit sealer)',
      labelNames: ['projection'],
      registers,
      collect: () => this.scrapeLag(),
    });
    const lagSeconds = new Gauge({
      name: 'projection_lag_seconds',
      help: 'Age of the oldest event not yet applied, per follower (0 when caught up)',
      labelNames: ['projection'],
      registers,
      collect: () => this.scrapeLag(),
    });
    const failed = new Gauge({
      name: 'projection_failed',
      help: '1 when the follower is stopped on an event it cannot apply',
      labelNames: ['projection'],
      registers,
      collect: () => this.scrapeLag(),
    });
    const lagScrapeErrors = new Counter({
      name: 'projection_lag_scrape_errors_total',
      help: 'Scrapes in which the projection lag could not be read (database unreachable)',
      registers,
    });
    this.loadLag = async () => {
      lagEvents.reset();
      lagSeconds.reset();
      failed.reset();
      try {
        for (const lag of await followerLag(this.pool, this.followers())) {
          lagEvents.set({ projection: lag.name }, lag.events);
          lagSeconds.set({ projection: lag.name }, lag.seconds);
          failed.set({ projection: lag.name }, lag.failed ? 1 : 0);
        }
      } catch {
        lagScrapeErrors.inc();
      }
    };
    new Gauge({
      name: 'db_pool_connections',
      help: 'Connections of the application pool: total, idle, and callers waiting for one',
      labelNames: ['state'],
      registers,
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
    new Gauge({
      name: 'db_pool_max',
      help: 'Configured size of the application pool',
      registers,
      collect() {
        this.set(pool.options.max ?? 10);
      },
    });
  }

  private readonly loadLag: () => Promise<void>;

  /** The three lag gauges share one query per scrape. */
  private scrapeLag(): Promise<void> {
    this.lagScrape ??= this.loadLag().finally(() => {
      this.lagScrape = undefined;
    });
    return this.lagScrape;
  }

  observeHttp(method: string, url: string | undefined, status: number, seconds: number): void {
    const labels = { method: method.toUpperCase(), route: routeLabel(url), status: String(status) };
    this.httpRequests.inc(labels);
    this.httpDuration.observe(labels, seconds);
  }
}
