import { eventStoreContract } from '../event-store.contract';
import type { KurrentEventStore } from './kurrent-event-store';

/**
 * The KurrentDB adapter against every adapter's contract. Registered against FakeKurrentClient
 * by kurrent-event-store.spec.ts and against a real server by kurrent-event-store.int-spec.ts.
 */
export function kurrentContract(getStore: () => KurrentEventStore): void {
  eventStoreContract(() => ({ store: getStore() }));
}
