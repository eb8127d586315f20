import { dateInZone } from '@app/core';
import type { LiveChange } from '@app/read-models';
import type { Pool } from 'pg';
import { createReadLoaders, type ReadLoaders } from '../context/read-loaders';

interface TenantReads {
  /** the day the set was made on: arrears counts depend on today */
  day: string;
  loaders: ReadLoaders;
  /** batch reads by loader name (a test seam: N subscribers, one read per change) */
  batches: Map<string, number>;
}

/**
 * One set of read loaders per tenant for every live subscription of this process: the first
 * subscriber to read a union after a change reads it (with every other union due in the same
 * turn of the event loop, in one query per loader), the others take the same result. A change
 * notification drops what it names before the subscribers are woken, so a read after the wake-up
 * never takes a value read before the change. The loaders return what the tenant's rows hold,
 * never something that depends on the viewer (see createReadLoaders); each subscription's scope
 * is checked once, when it starts.
 */
export class LiveReadCache {
  private readonly tenants = new Map<string, TenantReads>();

  constructor(private readonly pool: Pool) {}

  loadersFor(tenantId: string): ReadLoaders {
    const day = dateInZone(new Date());
    let reads = this.tenants.get(tenantId);
    if (!reads || reads.day !== day) {
      const batches = new Map<string, number>();
      reads = {
        day,
        batches,
        loaders: createReadLoaders(tenantId, () => this.pool, {
          // subscribers woken by several timers in one turn of the event loop share a batch
          batchScheduleFn: (callback) => setImmediate(callback),
          onBatch: (name) => batches.set(name, (batches.get(name) ?? 0) + 1),
        }),
      };
      this.tenants.set(tenantId, reads);
    }
    return reads.loaders;
  }

  /** Batch reads by loader name of the tenant's current set (tests, metrics). */
  batchesOf(tenantId: string): Record<string, number> {
    return Object.fromEntries(this.tenants.get(tenantId)?.batches ?? []);
  }

  /** Called for every change before its subscribers are woken. */
  changed(change: LiveChange): void {
    const reads = this.tenants.get(change.tenantId);
    if (!reads) return;
    switch (change.kind) {
      case 'unions':
        reads.loaders.forgetUnions(change.unionIds);
        return;
      case 'allUnions':
        this.tenants.delete(change.tenantId);
        return;
      case 'audit':
        return; // nothing a union shows
    }
  }

  /** Everything is read anew (notifications may have been lost), or a tenant nobody watches. */
  forget(tenantId?: string): void {
    if (tenantId === undefined) this.tenants.clear();
    else this.tenants.delete(tenantId);
  }
}
