import type { PoolClient } from 'pg';
import { REGISTRY_PROJECTION } from '../registry/registry.projection';
import type { Projection, TenantBatch } from '../runner/projection';
import { foldTransfer, TRANSFER_EVENT_TYPES, type TransferRow } from './transfer-fold';
import { loadRows, upsertRows, type RowTable } from './rows-sql';

export const TRANSFERS_PROJECTION = 'transfers';

const pathOf = (column: string) =>
  `SELECT u.path FROM rm_unions u WHERE u.tenant_id = $1 AND u.union_id = x.${column}`;

export const TRANSFERS_TABLE: RowTable = {
  table: 'rm_transfers',
  key: 'transfer_id',
  columns: `transfer_id text, member_id text, from_union_id text, to_union_id text, to_external text,
    route text, sending_handler_union_id text, receiving_handler_union_id text,
    handled_by_union_ids text[], status text, requested_on date, released_on date, closed_on date,
    rejected_side text, last_position bigint`,
  // union paths never change once a union exists, so they are copied at write time
  joined: { from_path: pathOf('from_union_id'), to_path: pathOf('to_union_id') },
};

/**
 * Every transfer with its status (REQUESTED → RELEASED → COMPLETED, or REJECTED), the unions that
 * handle it and the paths of both ends for subtree queries. Per batch: one load, an in-memory
 * fold with the transfer decider's evolve (events at or below a row's position skipped), one
 * upsert.
 */
export class TransfersProjection implements Projection {
  readonly name = TRANSFERS_PROJECTION;
  readonly eventTypes = TRANSFER_EVENT_TYPES;
  readonly tables = ['rm_transfers'];
  readonly dependsOn = [REGISTRY_PROJECTION];

  async apply(client: PoolClient, { tenantId, events }: TenantBatch): Promise<void> {
    const relevant = events.filter((e) => TRANSFER_EVENT_TYPES.has(e.type));
    if (relevant.length === 0) return;
    const idOf = (data: object) => (data as { transferId: string }).transferId;
    const rows = await loadRows<TransferRow>(client, TRANSFERS_TABLE, tenantId, [
      ...new Set(relevant.map((e) => idOf(e.data))),
    ]);
    const changed = new Map<string, TransferRow>();
    for (const event of relevant) {
      const id = idOf(event.data);
      const before = rows.get(id);
      if (before && event.globalPosition <= before.last_position) continue; // applied already
      const after = foldTransfer(before, event);
      if (!after) continue;
      rows.set(id, after);
      changed.set(id, after);
    }
    await upsertRows(client, TRANSFERS_TABLE, tenantId, [...changed.values()]);
  }
}
