import type { IsoDate } from '@app/core';
import type { TransferRoute } from '@app/unions';
import type { PoolClient } from 'pg';
import { decodeCursor, encodeCursor, pageSize, type Page } from '../queries/paging';
import { startsWith } from '../queries/prefix';
import { unionPath } from './rows-sql';

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
  readonly first?: number | null;
  readonly after?: string | null;
}

/** Keyset position of a transfer in the list: its request date and id. */
const cursorOf = (r: Row) => encodeCursor(`${r.requested_on}|${r.transfer_id}`);

function afterKey(after: string | null | undefined): [string | null, string | null] {
  if (!after) return [null, null];
  const value = decodeCursor(after);
  const bar = value.indexOf('|');
  return [value.slice(0, bar), value.slice(bar + 1)];
}

/**
 * Open transfers (REQUESTED or RELEASED) under a union, oldest request first, keyset-paged on
 * (requested_on, transfer_id), with the number of open transfers in scope. An unknown union has
 * none.
 */
export async function transfersInFlight(
  client: PoolClient,
  tenantId: string,
  unionId: string,
  options: TransfersInFlightOptions = {},
): Promise<Page<TransferView> & { totalCount: number }> {
  const path = await unionPath(client, tenantId, unionId);
  if (path === null) return { nodes: [], hasNextPage: false, endCursor: null, totalCount: 0 };
  const limit = pageSize(options.first);
  const [afterOn, afterId] = afterKey(options.after);
  const scope = options.includeSubtree
    ? `(${startsWith('t.from_path', '$2')} OR ${startsWith('t.to_path', '$2')})`
    : '(t.from_union_id = $2 OR t.to_union_id = $2 OR $2 = ANY(t.handled_by_union_ids))';
  // one statement: the count of the whole scope beside the page (the page may be empty)
  const { rows } = await client.query<{ total: string; page: Row[] }>(
    `WITH scoped AS (
       SELECT t.* FROM rm_transfers t
        WHERE t.tenant_id = $1 AND t.status IN ('REQUESTED', 'RELEASED') AND ${scope}
     ), page AS (
       SELECT ${COLUMNS} FROM scoped
        WHERE $3::date IS NULL OR (requested_on, transfer_id) > ($3::date, $4::text)
        ORDER BY requested_on, transfer_id
        LIMIT $5
     )
     SELECT (SELECT count(*) FROM scoped) AS total,
            coalesce((SELECT jsonb_agg(page ORDER BY requested_on, transfer_id) FROM page), '[]') AS page`,
    [tenantId, options.includeSubtree ? path : unionId, afterOn, afterId, limit + 1],
  );
  const all = rows[0]?.page ?? [];
  const page = all.slice(0, limit);
  const last = page.at(-1);
  return {
    nodes: page.map(toView),
    hasNextPage: all.length > limit,
    endCursor: last ? cursorOf(last) : null,
    totalCount: Number(rows[0]?.total ?? 0),
  };
}
