import { kurrentTestUrl } from '@app/database';
import { KurrentEventStore } from './kurrent-event-store';
import { kurrentContract } from './kurrent-contract';
import { tenantPrefix, toStreamName } from './kurrent-naming';

/**
 * The KurrentDB adapter against a real server. Runs only with KURRENTDB_URL (e.g.
 * `kurrentdb://localhost:2113?tls=false`; KurrentDB 25.1+ for appendToStreams); without it, one
 * line says so and only the offline check below runs.
 */
const url = kurrentTestUrl();

describe('KurrentEventStore (real KurrentDB)', () => {
  if (!url) {
    console.log('KurrentDB adapter suite skipped: KURRENTDB_URL is not set');
    it('loads the adapter; stream names are injective and tenant-safe', () => {
      expect(typeof KurrentEventStore.connect).toBe('function');
      expect(toStreamName('a', 'b:c')).not.toBe(toStreamName('a:b', 'c'));
      expect(toStreamName('b', 't-a:x').startsWith(tenantPrefix('a'))).toBe(false);
    });
    return;
  }
  const store = KurrentEventStore.connect(url);
  afterAll(() => store.close());
  kurrentContract(() => store);
});
