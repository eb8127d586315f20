import {
  Inject,
  Module,
  RequestMethod,
  type DynamicModule,
  type MiddlewareConsumer,
  type NestModule,
} from '@nestjs/common';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { JwtVerifier } from '@app/auth';
import type { OperationsConfig } from '@app/database';
import type { ProjectionRunner } from '@app/read-models';
import type { LiveHub } from '../live/live-hub';
import { MetricsModule } from '../metrics/metrics.module';
import { OperationsMetrics } from '../metrics/operations.metrics';
import type { ResponseCache } from './response-cache';
import { responseCacheMiddleware } from './response-cache.middleware';

const SETTINGS = Symbol('RESPONSE_CACHE_SETTINGS');

interface Settings {
  cache: ResponseCache;
  verifier: JwtVerifier;
  limits: OperationsConfig['limits'];
}

/**
 * The response cache's middleware on POST /graphql. Import it after LimitsModule: its body
 * parser must have run (modules at the same depth mount their middleware in import order).
 */
@Module({})
export class ResponseCacheModule implements NestModule {
  constructor(
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly metrics: OperationsMetrics,
    @Inject(ThrottlerStorage) private readonly throttler: ThrottlerStorage,
  ) {}

  static forRoot(settings: Settings): DynamicModule {
    return {
      module: ResponseCacheModule,
      imports: [MetricsModule],
      providers: [{ provide: SETTINGS, useValue: settings }],
    };
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(
        responseCacheMiddleware({
          ...this.settings,
          metrics: this.metrics,
          throttler: this.throttler,
        }),
      )
      .forRoutes({ path: 'graphql', method: RequestMethod.POST });
  }
}

/**
 * What makes cached answers stale: this process's projection commits (per tenant), changes
 * notified by other processes (per tenant; all when notifications may have been missed), and
 * checkpoints that moved without this process seeing the commit.
 */
export function invalidateResponses(
  cache: ResponseCache,
  runner: ProjectionRunner,
  hub: LiveHub,
): () => void {
  const undo = [
    runner.onBatchCommitted(({ batches }) => batches.forEach((b) => cache.invalidate(b.tenantId))),
    runner.onUnseenChanges(() => cache.invalidateAll()),
    hub.onChange((change) => (change ? cache.invalidate(change.tenantId) : cache.invalidateAll())),
  ];
  return () => undo.forEach((u) => u());
}
