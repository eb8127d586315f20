import { join } from 'node:path';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Module, type DynamicModule } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { GraphQLModule } from '@nestjs/graphql';
import { DatabaseModule, type AppConfig } from '@app/database';
import { EventStoreModule } from '@app/event-store';
import { ReadModelsModule } from '@app/read-models';
import { HealthResolver } from './health/health.resolver';

export interface ApiRuntime {
  config: AppConfig;
  appUrl: string;
}

@Module({})
export class AppModule {
  static register({ config, appUrl }: ApiRuntime): DynamicModule {
    const production = config.nodeEnv === 'production';
    return {
      module: AppModule,
      imports: [
        DatabaseModule.forRoot(config, appUrl, 'union-api'),
        EventStoreModule.forRoot({ appUrl, runFollowers: config.projector === 'in-process' }),
        ReadModelsModule.forRoot({ appUrl, runFollowers: config.projector === 'in-process' }),
        CqrsModule.forRoot(),
        GraphQLModule.forRoot<ApolloDriverConfig>({
          driver: ApolloDriver,
          // the generated schema is committed at the repo root; production serves it from memory
          autoSchemaFile: production ? true : join(process.cwd(), 'schema.graphql'),
          sortSchema: true,
          // Apollo Sandbox landing page in development only
          playground: false,
          introspection: !production,
        }),
      ],
      providers: [HealthResolver],
    };
  }
}
