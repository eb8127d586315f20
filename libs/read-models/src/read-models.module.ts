import {
  Global,
  Inject,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { APP_POOL } from '@app/database';
import { AuditSealer, EVENT_STORE, onLocalCommit, type EventStore } from '@app/event-store';
import type { Pool } from 'pg';
import { LivePublisher } from './live/live-publisher';
import { allProjections } from './projections';
import { ProjectionRunner } from './runner/projection-runner';

class RunnerLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private unsubscribe: (() => void)[] = [];
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AuditSealer) private readonly sealer: AuditSealer,
    @Inject(LivePublisher) private readonly publisher: LivePublisher,
  ) {}
  onApplicationBootstrap(): void {
    // woken after local commits (PostgreSQL adapter); the adaptive poll covers the rest
    const woken = onLocalCommit(this.store, () => this.runner.wake());
    this.unsubscribe = [
      ...(woken ? [woken] : []),
      // live subscriptions (in every API process) hear about committed batches through NOTIFY
      this.runner.onBatchCommitted(this.publisher.batchCommitted),
      this.sealer.onSealed(this.publisher.sealed),
    ];
    this.runner.start();
  }
  async onApplicationShutdown(): Promise<void> {
    this.unsubscribe.forEach((undo) => undo());
    await this.runner.stop(); // finishes the batch in hand
    await this.publisher.flushed();
  }
}

@Global()
@Module({})
export class ReadModelsModule {
  /** `runFollowers`: apply projections in this process (false when apps/projector does). */
  static forRoot(options: { appUrl: string; runFollowers: boolean }): DynamicModule {
    return {
      module: ReadModelsModule,
      providers: [
        {
          provide: ProjectionRunner,
          useFactory: (store: EventStore, pool: Pool) =>
            new ProjectionRunner(store, pool, allProjections(), {
              log: new Logger('Projections'),
              lockUrl: options.appUrl,
            }),
          inject: [EVENT_STORE, APP_POOL],
        },
        {
          provide: LivePublisher,
          useFactory: (pool: Pool) => new LivePublisher(pool, { log: new Logger('Live') }),
          inject: [APP_POOL],
        },
        ...(options.runFollowers ? [RunnerLifecycle] : []),
      ],
      exports: [ProjectionRunner, LivePublisher],
    };
  }
}
