import type { RecordedEvent } from '@app/core';
import type { PoolClient } from 'pg';

/** One tenant's share of a batch, in gap-free commit order. */
export interface TenantBatch {
  readonly tenantId: string;
  readonly events: readonly RecordedEvent[];
}

/**
 * A read model fed by the log. `apply` runs inside the runner's transaction, with
 * `app.tenant_id` set to the batch's tenant (row-level security applies), and must:
 *  - write with set-based SQL (a constant number of statements per batch, not per event);
 *  - be idempotent: every row remembers the last position applied to it, and events at or below
 *    it are skipped, so a batch applied twice changes nothing.
 */
export interface Projection {
  readonly name: string;
  /** Tables a rebuild empties. */
  readonly tables: readonly string[];
  /**
   * Projections whose tables this one reads while applying (e.g. union paths from `registry`):
   * it never runs ahead of them, so a rebuild or a lagging leader cannot make it miss a row.
   */
  readonly dependsOn?: readonly string[];
  /**
   * The only event types `apply` writes anything for, when it ignores all others: a live batch
   * with none of them only moves the checkpoint (one statement, no transaction; most batches
   * are dues payments that most projections skip).
   */
  readonly eventTypes?: ReadonlySet<string>;
  apply(client: PoolClient, batch: TenantBatch): Promise<void>;
  /**
   * Optional, rebuild only: a fresh applier for one replay from emptied tables, which may keep
   * what it wrote in memory across batches instead of reading it back (the runner is then the
   * only writer: a batch that fails or finds its checkpoint moved takes the projection out of
   * the shared replay, and the applier is dropped with it). It must write the same rows as
   * `apply`, batch for batch.
   */
  rebuildApplier?(): BatchApplier;
}

/** What applies a batch: a projection, or its rebuild applier. */
export interface BatchApplier {
  apply(client: PoolClient, batch: TenantBatch): Promise<void>;
}

export function byTenant(events: readonly RecordedEvent[]): TenantBatch[] {
  const groups = new Map<string, RecordedEvent[]>();
  for (const event of events) {
    const group = groups.get(event.tenantId);
    if (group) group.push(event);
    else groups.set(event.tenantId, [event]);
  }
  return [...groups].map(([tenantId, list]) => ({ tenantId, events: list }));
}
