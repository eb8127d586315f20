import {
  Global,
  Module,
  type DynamicModule,
  type OnApplicationShutdown,
  Inject,
} from '@nestjs/common';
import type { Pool } from 'pg';
import type { AppConfig } from '../config/app-config';
import { createPool } from '../pool';

export const APP_CONFIG = Symbol('APP_CONFIG');
/** The application role's pool (row-level security applies). */
export const APP_POOL = Symbol('APP_POOL');

class PoolCloser implements OnApplicationShutdown {
  constructor(@Inject(APP_POOL) private readonly pool: Pool) {}
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

@Global()
@Module({})
export class DatabaseModule {
  static forRoot(config: AppConfig, appUrl: string, applicationName: string): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        { provide: APP_CONFIG, useValue: config },
        {
          provide: APP_POOL,
          useFactory: () => createPool(appUrl, { ...config.pool, applicationName }),
        },
        PoolCloser,
      ],
      exports: [APP_CONFIG, APP_POOL],
    };
  }
}
