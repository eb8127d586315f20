import { FakeKurrentClient } from './fake-kurrent-client';
import { kurrentContract } from './kurrent-contract';
import { KurrentEventStore } from './kurrent-event-store';

// The adapter's own logic (version shifts, error mapping, command ids, read-back, paging) over
// a documented-behaviour double; the server itself is covered by the int-spec with KURRENTDB_URL.
describe('KurrentEventStore (adapter logic over a fake KurrentDB client)', () => {
  kurrentContract(() => new KurrentEventStore(new FakeKurrentClient().asClient()));
});
