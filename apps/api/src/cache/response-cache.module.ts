import { Inject, Module, type DynamicModule, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { ThrottlerStorage } from '@nestjs/throttler';
import type { JwtVerifier } from '@app/auth';
import type { OperationsConfig } from '@app/database';
import type { ProjectionRunner } from '@app/read-models';
import type { Server } from 'node:http';
import type { LiveHub } from '../live/live-hub';
import type { AccessLog } from '../logging/access-log';
import { MetricsModule } from '../metrics/metrics.module';
import { OperationsMetrics } from '../metrics/operations.metrics';
import type { ResponseCache } from './response-cache';
import { installResponseCacheFastPath } from './response-cache.fast-path';

const SETTINGS = Symbol('RESPONSE_CACHE_SETTINGS');

interface Settings {
  cache: ResponseCache;
  verifier: JwtVerifier;
  limits: OperationsConfig['limits'];
  log: AccessLog;
}

/**
 * The response cache's fast path in front of the HTTP server's app (response-cache.fast-path.ts),
 * installed once the app is built (the server and its Express listener exist by then).
 */
@Module({})
export class ResponseCacheModule implements OnApplicationBootstrap {
  constructor(
    @Inject(SETTINGS) private readonly settings: Settings,
    private readonly metrics: OperationsMetrics,
    @Inject(ThrottlerStorage) private readonly throttler: ThrottlerStorage,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  static forRoot(settings: Settings): DynamicModule {
    return {
      module: ResponseCacheModule,
      imports: [MetricsModule],
      providers: [{ provide: SETTINGS, useValue: settings }],
    };
  }

  onApplicationBootstrap(): void {
    const server = this.adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    if (!server) return; // an application context without HTTP
    installResponseCacheFastPath(server, {
      ...this.settings,
      metrics: this.metrics,
      throttler: this.throttler,
    });
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
