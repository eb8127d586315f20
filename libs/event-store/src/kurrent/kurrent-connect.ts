import type { EventStore } from '../event-store.port';
import type { FakeKurrentClient } from './fake-kurrent-client';
import type { KurrentEventStore } from './kurrent-event-store';

export type ClosableEventStore = EventStore & { close(): Promise<void> };

/**
 * The KurrentDB adapter for `EVENT_STORE=kurrentdb` + `KURRENTDB_URL` (e.g.
 * `kurrentdb://localhost:2113?tls=false`). The adapter module is loaded on first use, so that
 * importing @app/event-store does not load the KurrentDB client (gRPC plus a native bridge,
 * ~0.4 s) into every process and test file that never uses it.
 */
export function connectKurrentEventStore(url: string): ClosableEventStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./kurrent-event-store') as {
    KurrentEventStore: typeof KurrentEventStore;
  };
  return adapter.KurrentEventStore.connect(url);
}

/**
 * Tests without a server: the adapter over the documented-behaviour double of the client
 * (fake-kurrent-client.ts), loaded lazily like the adapter itself.
 */
export function kurrentEventStoreOverTestDouble(): ClosableEventStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const adapter = require('./kurrent-event-store') as {
    KurrentEventStore: typeof KurrentEventStore;
  };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const fake = require('./fake-kurrent-client') as {
    FakeKurrentClient: typeof FakeKurrentClient;
  };
  return new adapter.KurrentEventStore(new fake.FakeKurrentClient().asClient());
}
