import type { IsoDate } from '@app/core';
import type { TransferRoute } from '@app/unions';
import type { PoolClient } from 'pg';
import {
  decodeCursor,
  encodeCursor,
  pageSize,
  prefixPattern,
  unionPath,
  type Connection,
} from './rows-sql';

/** What the contract's `Transfer` (and an officer's list of transfers in flight) needs. */
export interface TransferView {
  readonly id: string;
  readonly memberId: string;
  readonly fromUnionId: string;
  readonly toUnionId: string | null;
  readonly toExternal: string | null;
  readonly route: TransferRoute;
  readonly status: 'REQUESTED' | 'RELEASED' | 'COMPLETED' | 'REJECTED';
  readonly handledByUnionIds: readonly string[];
  readonly sendingHandlerUnionId: string;
  readonly receivingHandlerUnionId: string | null;
  readonly requestedOn: IsoDate;
  readonly releasedOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
  readonly rejectedSide: 'SENDING' | 'RECEIVING' | null;
}

interface Row {
  transfer_id: string;
  member_id: string;
  from_union_id: string;
  to_union_id: string | null;
  to_external: string | null;
  route: TransferRoute;
  status: TransferView['status'];
  handled_by_union_ids: string[];
  sending_handler_union_id: string;
  receiving_handler_union_id: string | null;
  requested_on: string;
  released_on: string | null;
  closed_on: string | null;
  rejected_side: TransferView['rejectedSide'];
}

const COLUMNS = `transfer_id, member_id, from_union_id, to_union_id, to_external, route, status,
  handled_by_union_ids, sending_handler_union_id, receiving_handler_union_id,
  requested_on::text AS requested_on, released_on::text AS released_on,
  closed_on::text AS closed_on, rejected_side`;

const toView = (r: Row): TransferView => ({
  id: r.transfer_id,
  memberId: r.member_id,
  fromUnionId: r.from_union_id,
  toUnionId: r.to_union_id,
  toExternal: r.to_external,
  route: r.route,
  status: r.status,
  handledByUnionIds: r.handled_by_union_ids,
  sendingHandlerUnionId: r.sending_handler_union_id,
  receivingHandlerUnionId: r.receiving_handler_union_id,
  requestedOn: r.requested_on,
  releasedOn: r.released_on,
  closedOn: r.closed_on,
  rejectedSide: r.rejected_side,
});

export async function transferById(
  client: PoolClient,
  tenantId: string,
  transferId: string,
): Promise<TransferView | null> {
  const { rows } = await client.query<Row>(
    `SELECT ${COLUMNS} FROM rm_transfers WHERE tenant_id = $1 AND transfer_id = $2`,
    [tenantId, transferId],
  );
  return rows[0] ? toView(rows[0]) : null;
}

export interface TransfersInFlightOptions {
  /** Transfers from or to any union in the subtree; otherwise those from, to or handled by it. */
  readonly includeSubtree?: boolean;
  readonly first?: number;
  readonly after?: string | null;
}

/**
 * Open transfers (REQUESTED or RELEASED) under a union, oldest request first, keyset-paged on
 * (requested_on, transfer_id). An unknown union has none.
 */
export async function transfersInFlight(
  client: PoolClient,
  tenantId: string,
  unionId: string,
  options: TransfersInFlightOptions = {},
): Promise<Connection<TransferView>> {
  const empty = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null }, totalCount: 0 };
  const path = await unionPath(client, tenantId, unionId);
  if (path === null) return empty;
  const limit = pageSize(options.first);
  const [afterOn, afterId] = options.after ? decodeCursor(options.after) : [null, null];
  const scope = options.includeSubtree
    ? '(t.from_path LIKE $2 OR t.to_path LIKE $2)'
    : '(t.from_union_id = $2 OR t.to_union_id = $2 OR $2 = ANY(t.handled_by_union_ids))';
  const { rows } = await client.query<Row & { total: string }>(
    `WITH scoped AS (
       SELECT t.* FROM rm_transfers t
        WHERE t.tenant_id = $1 AND t.status IN ('REQUESTED', 'RELEASED') AND ${scope}
     )
     SELECT ${COLUMNS}, (SELECT count(*) FROM scoped) AS total
       FROM scoped
      WHERE $3::date IS NULL OR (requested_on, transfer_id) > ($3::date, $4::text)
      ORDER BY requested_on, transfer_id
      LIMIT $5`,
    [tenantId, options.includeSubtree ? prefixPattern(path) : unionId, afterOn, afterId, limit + 1],
  );
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  let totalCount = Number(rows[0]?.total ?? 0);
  if (rows.length === 0 && options.after) {
    const { rows: count } = await client.query<{ total: string }>(
      `SELECT count(*) AS total FROM rm_transfers t
        WHERE t.tenant_id = $1 AND t.status IN ('REQUESTED', 'RELEASED') AND ${scope}`,
      [tenantId, options.includeSubtree ? prefixPattern(path) : unionId],
    );
    totalCount = Number(count[0]?.total ?? 0);
  }
  return {
    nodes: page.map(toView),
    pageInfo: {
      hasNextPage: rows.length > limit,
      endCursor: last ? encodeCursor([last.requested_on, last.transfer_id]) : null,
    },
    totalCount,
  };
}
