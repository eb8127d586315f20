import { Module, type DynamicModule } from '@nestjs/common';
import { DatabaseModule, type AppConfig } from '@app/database';
import { EventStoreModule } from '@app/event-store';
import { ReadModelsModule } from '@app/read-models';

/** The followers of the log (audit sealer, projections) without HTTP. */
@Module({})
export class ProjectorModule {
  static register(config: AppConfig, appUrl: string): DynamicModule {
    return {
      module: ProjectorModule,
      imports: [
        DatabaseModule.forRoot(config, appUrl, 'union-projector'),
        EventStoreModule.forRoot({ appUrl, runFollowers: true, eventStore: config.eventStore }),
        ReadModelsModule.forRoot({ appUrl, runFollowers: true }),
      ],
    };
  }
}
