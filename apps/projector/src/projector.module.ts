import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, type AppConfig } from '@app/database';
import { EventStoreModule } from '@app/event-store';
import { ReadModelsModule } from '@app/read-models';
import type { DestinationStream } from 'pino';
// the API's probe and metrics modules, shared: they need only the global database and read models
import { HealthModule } from '../../api/src/health/health.module';
import { RequestLoggingModule } from '../../api/src/logging/request-logging.module';
import { MetricsModule } from '../../api/src/metrics/metrics.module';

/**
 * The followers of the log (audit sealer, projections), with JSON logs; with PROJECTOR_PORT also
 * /health/live, /health/ready and /metrics over HTTP (nothing else is served).
 */
@Module({})
export class ProjectorModule {
  static register(
    config: AppConfig,
    appUrl: string,
    logDestination?: DestinationStream,
  ): DynamicModule {
    const probes = config.operations.projectorPort !== undefined;
    return {
      module: ProjectorModule,
      imports: [
        RequestLoggingModule.forRoot(config, logDestination),
        DatabaseModule.forRoot(config, appUrl, 'union-projector'),
        EventStoreModule.forRoot({ appUrl, runFollowers: true, eventStore: config.eventStore }),
        ReadModelsModule.forRoot({ appUrl, runFollowers: true }),
        ...(probes ? [HealthModule, MetricsModule] : []),
      ],
    };
  }
}
