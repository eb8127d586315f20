import type { PoolClient } from 'pg';
import { decodeCursor, encodeCursor, type Page } from './paging';
import { startsWith } from './prefix';

export interface UnionView {
  id: string;
  tenantId: string;
  name: string;
  level: string;
  status: string;
  parentId: string | null;
  /** root first, parent last */
  ancestorIds: string[];
  path: string;
  governanceForm: string;
  termStart: string | null;
  termEnd: string | null;
  committee: { memberId: string; roles: string[] }[];
  chairMemberId: string | null;
  lastMeetingOn: string | null;
  stats: {
    members: number;
    femaleMembers: number;
    retainedMembers: number;
    subtreeMembers: number;
    subtreeFemaleMembers: number;
    subtreeUnions: number;
  };
  version: number;
}

const SELECT = `SELECT tenant_id, union_id, name, level, status, parent_id, ancestors, path, governance_form,
  term_start, term_end, committee, chair_member_id, last_meeting_on, own_active, own_female, own_retained,
  sub_active, sub_female, sub_active_unions, version FROM rm_unions`;

interface UnionRecord {
  tenant_id: string;
  union_id: string;
  name: string;
  level: string;
  status: string;
  parent_id: string | null;
  ancestors: string[];
  path: string;
  governance_form: string;
  term_start: string | null;
  term_end: string | null;
  committee: { memberId: string; roles: string[] }[];
  chair_member_id: string | null;
  last_meeting_on: string | null;
  own_active: number;
  own_female: number;
  own_retained: number;
  sub_active: number;
  sub_female: number;
  sub_active_unions: number;
  version: number;
}

function view(r: UnionRecord): UnionView {
  return {
    id: r.union_id,
    tenantId: r.tenant_id,
    name: r.name,
    level: r.level,
    status: r.status,
    parentId: r.parent_id,
    ancestorIds: r.ancestors.slice(0, -1),
    path: r.path,
    governanceForm: r.governance_form,
    termStart: r.term_start,
    termEnd: r.term_end,
    committee: r.committee,
    chairMemberId: r.chair_member_id,
    lastMeetingOn: r.last_meeting_on,
    stats: {
      members: r.own_active,
      femaleMembers: r.own_female,
      retainedMembers: r.own_retained,
      subtreeMembers: r.sub_active,
      subtreeFemaleMembers: r.sub_female,
      subtreeUnions: r.sub_active_unions,
    },
    version: r.version,
  };
}

/** Unions by id in one query (DataLoader batches), in the order asked; unknown ids are null. */
export async function unionsByIds(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<(UnionView | null)[]> {
  const { rows } = await client.query<UnionRecord>(
    `${SELECT} WHERE tenant_id = $1 AND union_id = ANY($2)`,
    [tenantId, ids],
  );
  const byId = new Map(rows.map((r) => [r.union_id, view(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** Children of many unions at once (DataLoader), each list ordered by name. */
export async function childrenOf(
  client: PoolClient,
  tenantId: string,
  parentIds: readonly string[],
): Promise<UnionView[][]> {
  const { rows } = await client.query<UnionRecord>(
    `${SELECT} WHERE tenant_id = $1 AND parent_id = ANY($2) AND status <> 'REJECTED' ORDER BY name`,
    [tenantId, parentIds],
  );
  const byParent = new Map<string, UnionView[]>();
  for (const r of rows)
    byParent.set(r.parent_id!, [...(byParent.get(r.parent_id!) ?? []), view(r)]);
  return parentIds.map((id) => byParent.get(id) ?? []);
}

/**
 * Every union under a root (root excluded), any depth, in tree order (materialised path),
 * keyset-paged: one range scan of (tenant_id, path).
 */
export async function subordinateUnions(
  client: PoolClient,
  tenantId: string,
  rootPath: string,
  filter: { level?: string | null; status?: string | null },
  page: { first: number; after?: string | null },
): Promise<Page<UnionView> & { totalCount: number }> {
  const where = [`tenant_id = $1`, startsWith('path', '$2'), `path <> $2`, `status <> 'REJECTED'`];
  const values: unknown[] = [tenantId, rootPath];
  if (filter.level) {
    values.push(filter.level);
    where.push(`level = $${values.length}`);
  }
  if (filter.status) {
    values.push(filter.status);
    where.push(`status = $${values.length}`);
  }
  const countValues = [...values];
  const countWhere = [...where];
  if (page.after) {
    values.push(decodeCursor(page.after));
    where.push(`path > $${values.length}`);
  }
  values.push(page.first + 1);
  // one after the other: a client runs one query at a time (pg queues a second, deprecated)
  const { rows } = await client.query<UnionRecord>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY path LIMIT $${values.length}`,
    values,
  );
  const count = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM rm_unions WHERE ${countWhere.join(' AND ')}`,
    countValues,
  );
  const nodes = rows.slice(0, page.first).map(view);
  const last = nodes.at(-1);
  return {
    nodes,
    hasNextPage: rows.length > page.first,
    endCursor: last ? encodeCursor(last.path) : null,
    totalCount: count.rows[0]?.n ?? 0,
  };
}

export interface UnionAsOf {
  union: Omit<UnionView, 'stats' | 'committee' | 'version'>;
  stats: {
    members: number;
    femaleMembers: number;
    subtreeMembers: number;
    subtreeFemaleMembers: number;
  };
}

/**
 * A union as the registry records it effective on a date (business time): its status, name and
 * governance form then, and member counts from the membership history. Null if it did not exist.
 */
export async function unionAsOf(
  client: PoolClient,
  tenantId: string,
  unionId: string,
  date: string,
): Promise<UnionAsOf | null> {
  const { rows } = await client.query<{
    status: string;
    name: string;
    governance_form: string;
    path: string;
  }>(
    `SELECT status, name, governance_form, path FROM rm_union_history
      WHERE tenant_id = $1 AND union_id = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
      ORDER BY position DESC LIMIT 1`,
    [tenantId, unionId, date],
  );
  const h = rows[0];
  if (!h || h.status === 'REJECTED') return null;
  const [current] = await unionsByIds(client, tenantId, [unionId]);
  if (!current) return null;
  const { rows: counts } = await client.query<{
    own: number;
    own_f: number;
    sub: number;
    sub_f: number;
  }>(
    `SELECT count(*) FILTER (WHERE union_id = $2)::int AS own,
            count(*) FILTER (WHERE union_id = $2 AND gender = 'FEMALE')::int AS own_f,
            count(*)::int AS sub,
            count(*) FILTER (WHERE gender = 'FEMALE')::int AS sub_f
       FROM rm_member_history
      WHERE tenant_id = $1 AND ${startsWith('union_path', '$3')} AND status = 'ACTIVE'
        AND valid_from <= $4 AND (valid_to IS NULL OR valid_to > $4)`,
    [tenantId, unionId, h.path, date],
  );
  const c = counts[0]!;
  return {
    union: { ...current, status: h.status, name: h.name, governanceForm: h.governance_form },
    stats: {
      members: c.own,
      femaleMembers: c.own_f,
      subtreeMembers: c.sub,
      subtreeFemaleMembers: c.sub_f,
    },
  };
}
