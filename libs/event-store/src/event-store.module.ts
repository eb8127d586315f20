import {
  Global,
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { APP_POOL, LeaderLock, type AppConfig } from '@app/database';
import type { Pool } from 'pg';
import { AuditSealer } from './audit/audit-sealer';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { connectKurrentEventStore } from './kurrent/kurrent-connect';
import { PostgresEventStore } from './postgres/postgres-event-store';

/**
 * Wakes `listener` after each local commit when the store can tell (PostgreSQL adapter); with
 * KurrentDB the followers rely on their adaptive poll (10 → 500 ms). Returns the unsubscribe.
 */
export function onLocalCommit(store: EventStore, listener: () => void): (() => void) | undefined {
  return store instanceof PostgresEventStore ? store.onCommit(listener) : undefined;
}

class SealerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void) | undefined;
  constructor(
    @Inject(AuditSealer) private readonly sealer: AuditSealer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}
  onApplicationBootstrap(): void {
    this.unsubscribe = onLocalCommit(this.store, () => this.sealer.wake());
    this.sealer.start();
  }
  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe?.();
    // finishes the batch in hand, then releases leadership
    await this.sealer.stop();
  }
}

/** Closes a KurrentDB connection on shutdown (the PostgreSQL pool belongs to DatabaseModule). */
class StoreLifecycle implements OnApplicationShutdown {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onApplicationShutdown(): Promise<void> {
    const closable = this.store as EventStore & { close?: () => Promise<void> };
    if (!(this.store instanceof PostgresEventStore)) await closable.close?.();
  }
}

@Global()
@Module({})
export class EventStoreModule {
  /**
   * `runFollowers`: run the audit sealer here (false when apps/projector does it). `eventStore`
   * (from the config, EVENT_STORE): the PostgreSQL adapter by default, or the KurrentDB adapter
   * at KURRENTDB_URL; checkpoints, the audit chain and the read models stay in PostgreSQL.
   */
  static forRoot(options: {
    appUrl: string;
    runFollowers: boolean;
    eventStore?: AppConfig['eventStore'];
  }): DynamicModule {
    const followers = options.runFollowers ? [SealerLifecycle] : [];
    const selected = options.eventStore ?? { kind: 'postgres' };
    return {
      module: EventStoreModule,
      providers: [
        {
          provide: EVENT_STORE,
          useFactory: (pool: Pool): EventStore =>
            selected.kind === 'kurrentdb'
              ? connectKurrentEventStore(selected.url)
              : new PostgresEventStore(pool),
          inject: [APP_POOL],
        },
        StoreLifecycle,
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
