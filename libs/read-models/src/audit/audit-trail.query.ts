import { withTenant } from '@app/database';
import type { Pool } from 'pg';
import { startsWith } from '../queries/prefix';
import { decodeCursor, encodeCursor, InvalidCursorError, type Page } from '../queries/paging';

export interface AuditFilter {
  streamId?: string | null;
  unionPath?: string | null; // resolved from unionId by the caller (scope-checked)
  includeSubtree?: boolean | null;
  memberId?: string | null;
  actor?: string | null;
  types?: readonly string[] | null;
  from?: Date | null;
  to?: Date | null;
}

export interface AuditEventView {
  position: string;
  tenantSequence: string;
  streamId: string;
  version: number;
  type: string;
  data: unknown;
  metadata: unknown;
  recordedAt: Date;
  actor: string | null;
  hash: string;
}

/**
 * The sealed events matching the filter, in log order, paged by global position. Only sealed
 * events are listed: each carries its place in the tenant's hash chain.
 */
export async function auditTrail(
  pool: Pool,
  tenantId: string,
  filter: AuditFilter,
  page: { first: number; after?: string | null },
): Promise<Page<AuditEventView>> {
  const where = ['a.tenant_id = $1'];
  const values: unknown[] = [tenantId];
  const add = (sql: (n: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.streamId) add((p) => `a.stream_id = ${p}`, filter.streamId);
  if (filter.unionPath) {
    if (filter.includeSubtree) add((p) => startsWith('a.union_path', p), filter.unionPath);
    else add((p) => `a.union_path = ${p}`, filter.unionPath);
  }
  if (filter.memberId) add((p) => `a.member_id = ${p}`, filter.memberId);
  if (filter.actor) add((p) => `a.actor = ${p}`, filter.actor);
  if (filter.types?.length) add((p) => `a.type = ANY(${p})`, filter.types);
  if (filter.from) add((p) => `a.recorded_at >= ${p}`, filter.from);
  if (filter.to) add((p) => `a.recorded_at < ${p}`, filter.to);
  const after = page.after ? Number(decodeCursor(page.after)) : 0;
  if (!Number.isSafeInteger(after) || after < 0) throw new InvalidCursorError();
  add((p) => `a.position > ${p}`, after);
  values.push(page.first + 1);
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const { rows } = await client.query<{
        position: string;
        tenant_sequence: string;
        stream_id: string;
        stream_version: number;
        type: string;
        data: unknown;
        metadata: unknown;
        recorded_at: Date;
        actor: string | null;
        hash: string;
      }>(
        `SELECT a.position, c.tenant_sequence, e.stream_id, e.stream_version, e.type, e.data, e.metadata,
                e.recorded_at, a.actor, encode(c.hash, 'hex') AS hash
           FROM rm_audit_events a
           JOIN audit_chain c ON c.tenant_id = a.tenant_id AND c.global_position = a.position
           JOIN events e ON e.tenant_id = a.tenant_id AND e.global_position = a.position
          WHERE ${where.join(' AND ')}
          ORDER BY a.position
          LIMIT $${values.length}`,
        values,
      );
      const nodes = rows.slice(0, page.first).map((r) => ({
        position: String(r.position),
        tenantSequence: String(r.tenant_sequence),
        streamId: r.stream_id,
        version: r.stream_version,
        type: r.type,
        data: r.data,
        metadata: r.metadata,
        recordedAt: r.recorded_at,
        actor: r.actor,
        hash: r.hash,
      }));
      const last = nodes.at(-1);
      return {
        nodes,
        hasNextPage: rows.length > page.first,
        endCursor: last ? encodeCursor(last.position) : null,
      };
    },
    { readOnly: true },
  );
}
