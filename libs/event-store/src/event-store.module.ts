import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { APP_POOL, LeaderLock } from '@app/database';
import type { Pool } from 'pg';
import { AuditSealer } from './audit/audit-sealer';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { PostgresEventStore } from './postgres/postgres-event-store';

class SealerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;
  constructor(
    @Inject(AuditSealer) private readonly sealer: AuditSealer,
    @Inject(EVENT_STORE) private readonly store: PostgresEventStore,
  ) {}
  onApplicationBootstrap(): void {
    this.unsubscribe = this.store.onCommit(() => this.sealer.wake());
    this.sealer.start();
  }
  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    // finishes the batch in hand, then releases leadership
    await this.sealer.stop();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  /** `runFollowers`: run the audit sealer here (false when apps/projector does it). */
  static forRoot(options: { appUrl: string; runFollowers: boolean }): DynamicModule {
    const followers = options.runFollowers ? [SealerLifecycle] : [];
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (pool: Pool) => new PostgresEventStore(pool),
          inject: [APP_POOL],
        },
        {
          provide: AuditSealer,
          useFactory: (store: EventStore, pool: Pool) =>
            new AuditSealer(store, pool, {
              log: new Logger('AuditSealer'),
              leader: new LeaderLock(options.appUrl, 'audit-sealer'),
            }),
          inject: [EVENT_STORE, APP_POOL],
        },
        ...followers,
      ],
      exports: [EVENT_STORE, AuditSealer],
    };
  }
}
