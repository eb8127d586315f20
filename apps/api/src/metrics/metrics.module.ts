import {
  Inject,
  Module,
  type MiddlewareConsumer,
  type NestModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_POOL } from '@app/database';
import { AUDIT_SEALER, EVENT_STORE, PostgresEventStore, type EventStore } from '@app/event-store';
import { ProjectionRunner } from '@app/read-models';
import type { Pool } from 'pg';
import { httpMetricsMiddleware } from './http-metrics.middleware';
import { MetricsController } from './metrics.controller';
import { OperationsMetrics } from './operations.metrics';

/**
 * `/metrics` and the process's OperationsMetrics (the GraphQL plugin reads it from here). Needs
 * the global DatabaseModule, EventStoreModule and ReadModelsModule; the projector imports it too.
 */
@Module({
  controllers: [MetricsController],
  providers: [
    {
      provide: OperationsMetrics,
      inject: [APP_POOL, ProjectionRunner],
      useFactory: (pool: Pool, runner: ProjectionRunner) =>
        new OperationsMetrics(pool, () => [AUDIT_SEALER, ...runner.projections.map((p) => p.name)]),
    },
  ],
  exports: [OperationsMetrics],
})
export class MetricsModule implements NestModule, OnApplicationShutdown {
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly metrics: OperationsMetrics,
    @Inject(EVENT_STORE) store: EventStore,
  ) {
    // the PostgreSQL adapter reports each commit; the KurrentDB adapter does not (no count then)
    this.unsubscribe =
      store instanceof PostgresEventStore
        ? store.onCommit((_position, events) => metrics.eventsAppended.inc(events))
        : undefined;
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(httpMetricsMiddleware(this.metrics)).forRoutes('*');
  }

  onApplicationShutdown(): void {
    this.unsubscribe?.();
  }
}
