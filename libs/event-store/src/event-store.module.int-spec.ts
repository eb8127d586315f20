import { Global, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { APP_POOL, loadConfig } from '@app/database';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { EVENT_STORE, type EventStore } from './event-store.port';
import { EventStoreModule } from './event-store.module';
import { PostgresEventStore } from './postgres/postgres-event-store';

describe('EventStoreModule selects the adapter from EVENT_STORE', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const storeFor = async (env: Record<string, string>) => {
    @Global()
    @Module({ providers: [{ provide: APP_POOL, useValue: db.appPool }], exports: [APP_POOL] })
    class PoolModule {}
    const config = loadConfig(env);
    @Module({
      imports: [
        PoolModule,
        EventStoreModule.forRoot({
          appUrl: db.appUrl,
          runFollowers: false,
          eventStore: config.eventStore,
        }),
      ],
    })
    class RootModule {}
    const app = await NestFactory.createApplicationContext(RootModule, { logger: false });
    const store = app.get<EventStore>(EVENT_STORE);
    return { store, close: () => app.close() };
  };

  it('PostgreSQL by default', async () => {
    const { store, close } = await storeFor({});
    expect(store).toBeInstanceOf(PostgresEventStore);
    expect(typeof store.checkpointAt).toBe('function');
    await close();
  });

  it('the KurrentDB adapter with EVENT_STORE=kurrentdb (connects lazily; closed on shutdown)', async () => {
    const { store, close } = await storeFor({
      EVENT_STORE: 'kurrentdb',
      KURRENTDB_URL: 'kurrentdb://127.0.0.1:1?tls=false',
    });
    expect(store).not.toBeInstanceOf(PostgresEventStore);
    expect(store.constructor.name).toBe('KurrentEventStore');
    expect(typeof store.checkpointAt).toBe('function');
    await close();
  });
});
