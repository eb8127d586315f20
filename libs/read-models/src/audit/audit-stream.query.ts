import type { PoolClient } from 'pg';
import type { AuditEventView, AuditFilter } from './audit-trail.query';

export interface AuditStreamPage {
  /** the matching events, in chain order */
  events: AuditEventView[];
  /** the last tenant sequence examined: the next page starts after it */
  lastSequence: number;
  /** a full page was examined: read again at once */
  more: boolean;
}

interface ChainRow {
  tenant_sequence: string;
  position: string;
  stream_id: string;
  stream_version: number;
  type: string;
  data: unknown;
  metadata: unknown;
  recorded_at: Date;
  indexed: boolean;
  actor: string | null;
  union_path: string | null;
  member_id: string | null;
  hash: string;
}

/** Where a live audit stream starts: after a given sealed event, or after the current head. */
export async function auditStreamStart(
  client: PoolClient,
  tenantId: string,
  afterPosition: number | null,
): Promise<number | null> {
  if (afterPosition === null) {
    const { rows } = await client.query<{ q: string }>(
      'SELECT coalesce(max(tenant_sequence), 0) AS q FROM audit_chain WHERE tenant_id = $1',
      [tenantId],
    );
    return Number(rows[0]!.q);
  }
  const { rows } = await client.query<{ q: string }>(
    'SELECT tenant_sequence AS q FROM audit_chain WHERE tenant_id = $1 AND global_position = $2',
    [tenantId, afterPosition],
  );
  return rows[0] ? Number(rows[0].q) : null;
}

function matches(row: ChainRow, filter: AuditFilter): boolean {
  if (filter.streamId && row.stream_id !== filter.streamId) return false;
  if (filter.unionPath) {
    if (!row.union_path) return false;
    if (
      filter.includeSubtree
        ? !row.union_path.startsWith(filter.unionPath)
        : row.union_path !== filter.unionPath
    )
      return false;
  }
  if (filter.memberId && row.member_id !== filter.memberId) return false;
  if (filter.actor && row.actor !== filter.actor) return false;
  if (filter.types?.length && !filter.types.includes(row.type)) return false;
  if (filter.from && row.recorded_at < filter.from) return false;
  if (filter.to && row.recorded_at >= filter.to) return false;
  return true;
}

/**
 * The sealed events after `afterSequence` in the tenant's chain order (contiguous, so nothing is
 * skipped), filtered like the audit trail. The filter needs the audit index (union, member,
 * actor), which runs behind the log on its own: the page stops before the first event not yet
 * indexed, and that event is read again once the index has it.
 */
export async function auditStreamPage(
  client: PoolClient,
  tenantId: string,
  afterSequence: number,
  filter: AuditFilter,
  limit = 200,
): Promise<AuditStreamPage> {
  const { rows } = await client.query<ChainRow>(
    `SELECT c.tenant_sequence, c.global_position AS position, e.stream_id, e.stream_version, e.type,
            e.data, e.metadata, e.recorded_at, a.position IS NOT NULL AS indexed, a.actor,
            a.union_path, a.member_id, encode(c.hash, 'hex') AS hash
       FROM audit_chain c
       JOIN events e ON e.tenant_id = c.tenant_id AND e.global_position = c.global_position
       LEFT JOIN rm_audit_events a ON a.tenant_id = c.tenant_id AND a.position = c.global_position
      WHERE c.tenant_id = $1 AND c.tenant_sequence > $2
      ORDER BY c.tenant_sequence
      LIMIT $3`,
    [tenantId, afterSequence, limit],
  );
  const events: AuditEventView[] = [];
  let lastSequence = afterSequence;
  for (const row of rows) {
    if (!row.indexed) return { events, lastSequence, more: false };
    lastSequence = Number(row.tenant_sequence);
    if (!matches(row, filter)) continue;
    events.push({
      position: String(row.position),
      tenantSequence: String(row.tenant_sequence),
      streamId: row.stream_id,
      version: row.stream_version,
      type: row.type,
      data: row.data,
      metadata: row.metadata,
      recordedAt: row.recorded_at,
      actor: row.actor,
      hash: row.hash,
    });
  }
  return { events, lastSequence, more: rows.length === limit };
}
