import { randomUUID } from 'node:crypto';
import { eventStoreContract } from '../event-store.contract';
import type { KurrentEventStore } from './kurrent-event-store';

const tenant = () => `tenant-${randomUUID()}`;

/**
 * The KurrentDB adapter: every adapter's contract plus what only it has (`checkpointAt`, since
 * its positions are commit positions in `$all`). Registered against FakeKurrentClient by
 * kurrent-event-store.spec.ts and against a real server by kurrent-event-store.int-spec.ts.
 */
export function kurrentContract(getStore: () => KurrentEventStore): void {
  let store: KurrentEventStore;
  beforeAll(() => {
    store = getStore();
  });
  eventStoreContract(() => ({ store }));

  it('finds the checkpoint of an event it just appended (read-your-writes)', async () => {
    const t = tenant();
    const ev = { type: 'Counted', data: { n: 1 } };
    const written = await store.appendToStream(t, 'member-1', [ev, ev]);
    await store.appendToStream(tenant(), 'member-1', [ev]);
    expect(await store.checkpointAt(t, written.position)).toEqual({
      transactionId: written.transactionId,
      position: written.position,
    });
    expect(await store.checkpointAt(tenant(), written.position)).toBeUndefined();
  });
}
