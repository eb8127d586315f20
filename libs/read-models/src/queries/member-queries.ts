import { addMonthsToPeriod, monthsBetween, TickBatcher } from '@app/core';
import { assertTenant } from '@app/database';
import type { Pool, PoolClient } from 'pg';
import { decodeCursor, encodeCursor, type Page } from './paging';
import { startsWith } from './prefix';

export interface MemberView {
  id: string;
  unionId: string;
  unionPath: string;
  status: string;
  name: string;
  gender: string;
  employeeNo: string;
  cardNumber: string | null;
  joinedOn: string | null;
  duesExempt: boolean;
  lastPaidPeriod: string | null;
  duesLiableFrom: string | null;
  version: number;
}

interface MemberRecord {
  member_id: string;
  union_id: string;
  union_path: string;
  status: string;
  name: string;
  gender: string;
  employee_no: string;
  card_number: string | null;
  joined_on: string | null;
  dues_exempt: boolean;
  last_paid_period: string | null;
  dues_liable_from: string | null;
  version: number;
}

const SELECT = `SELECT member_id, union_id, union_path, status, name, gender, employee_no, card_number, joined_on,
  dues_exempt, last_paid_period, dues_liable_from, version FROM rm_members`;

const view = (r: MemberRecord): MemberView => ({
  id: r.member_id,
  unionId: r.union_id,
  unionPath: r.union_path,
  status: r.status,
  name: r.name,
  gender: r.gender,
  employeeNo: r.employee_no,
  cardNumber: r.card_number,
  joinedOn: r.joined_on,
  duesExempt: r.dues_exempt,
  lastPaidPeriod: r.last_paid_period,
  duesLiableFrom: r.dues_liable_from,
  version: r.version,
});

/**
 * Consecutive months without dues up to and including `upToPeriod` (the last complete month):
 * counted from the last paid period, or from the month the member became liable. Exempt and
 * non-active members owe nothing.
 */
export function consecutiveUnpaidMonths(member: MemberView, upToPeriod: string): number {
  if (member.duesExempt || member.status !== 'ACTIVE') return 0;
  const lastCovered =
    member.lastPaidPeriod ??
    (member.duesLiableFrom ? addMonthsToPeriod(member.duesLiableFrom, -1) : null);
  if (lastCovered === null) return 0;
  return Math.max(0, monthsBetween(lastCovered, upToPeriod));
}

export async function membersByIds(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<(MemberView | null)[]> {
  const { rows } = await client.query<MemberRecord>(
    `${SELECT} WHERE tenant_id = $1 AND member_id = ANY($2)`,
    [tenantId, ids],
  );
  const byId = new Map(rows.map((r) => [r.member_id, view(r)]));
  return ids.map((id) => byId.get(id) ?? null);
}

/** The scope checks of one event-loop turn, per pool and tenant, in one statement. */
const scopeReads = new WeakMap<Pool, TickBatcher<string, MemberRecord | null>>();

/**
 * membersByIds in one round trip without a transaction (rm_members_by_ids filters by the tenant
 * itself): for reads that have no request transaction to join, such as a mutation's scope check.
 * The calls of one event-loop turn for a tenant share that round trip (TickBatcher).
 */
export async function membersByIdsInOneTrip(
  pool: Pool,
  tenantId: string,
  ids: readonly string[],
): Promise<(MemberView | null)[]> {
  assertTenant(tenantId);
  let batcher = scopeReads.get(pool);
  if (!batcher) {
    batcher = new TickBatcher(async (tenant, keys) => {
      const { rows } = await pool.query<MemberRecord>({
        name: 'rm_members_by_ids',
        text: 'SELECT * FROM rm_members_by_ids($1, $2)',
        values: [tenant, keys],
      });
      const byId = new Map(rows.map((r) => [r.member_id, r]));
      return keys.map((id) => byId.get(id) ?? null);
    });
    scopeReads.set(pool, batcher);
  }
  const records = await batcher.load(tenantId, ids);
  return records.map((r) => (r ? view(r) : null));
}

export interface RosterFilter {
  /** the union's path (scope-checked by the caller) */
  unionPath: string;
  unionId: string;
  includeSubtree?: boolean | null;
  status?: string | null;
  /** prefix of the employee number or of the name */
  search?: string | null;
}

/**
 * The roster of a union (or its subtree), current state, ordered by employee number and
 * keyset-paged; search is a prefix match on employee number or name (both indexed).
 */
export async function roster(
  client: PoolClient,
  tenantId: string,
  filter: RosterFilter,
  page: { first: number; after?: string | null },
): Promise<Page<MemberView> & { totalCount: number }> {
  const where = ['tenant_id = $1'];
  const values: unknown[] = [tenantId];
  const add = (sql: (p: string) => string, value: unknown) => {
    values.push(value);
    where.push(sql(`$${values.length}`));
  };
  if (filter.includeSubtree) add((p) => startsWith('union_path', p), filter.unionPath);
  else add((p) => `union_id = ${p}`, filter.unionId);
  if (filter.status) add((p) => `status = ${p}`, filter.status);
  if (filter.search) {
    add(
      (p) => `(${startsWith('employee_no', p)} OR ${startsWith('lower(name)', `lower(${p})`)})`,
      filter.search,
    );
  }
  const countWhere = [...where];
  const countValues = [...values];
  if (page.after) {
    const [employeeNo, memberId] = JSON.parse(decodeCursor(page.after)) as [string, string];
    values.push(employeeNo, memberId);
    where.push(`(employee_no, member_id) > ($${values.length - 1}, $${values.length})`);
  }
  values.push(page.first + 1);
  // one after the other: a client runs one query at a time (pg queues a second, deprecated)
  const { rows } = await client.query<MemberRecord>(
    `${SELECT} WHERE ${where.join(' AND ')} ORDER BY employee_no, member_id LIMIT $${values.length}`,
    values,
  );
  const count = await client.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM rm_members WHERE ${countWhere.join(' AND ')}`,
    countValues,
  );
  const nodes = rows.slice(0, page.first).map(view);
  const last = nodes.at(-1);
  return {
    nodes,
    hasNextPage: rows.length > page.first,
    endCursor: last ? encodeCursor(JSON.stringify([last.employeeNo, last.id])) : null,
    totalCount: count.rows[0]?.n ?? 0,
  };
}

/** Who was on the roll of a union (or its subtree) on a date, from the membership history. */
export async function rosterAsOf(
  client: PoolClient,
  tenantId: string,
  filter: {
    unionPath: string;
    unionId: string;
    includeSubtree?: boolean | null;
    status?: string | null;
  },
  date: string,
  page: { first: number; after?: string | null },
): Promise<Page<{ memberId: string; unionId: string; status: string; gender: string }>> {
  const values: unknown[] = [
    tenantId,
    date,
    filter.includeSubtree ? filter.unionPath : filter.unionId,
    filter.status ?? null,
  ];
  const scope = filter.includeSubtree ? startsWith('h.union_path', '$3') : `h.union_id = $3`;
  let after = '';
  if (page.after) {
    values.push(decodeCursor(page.after));
    after = `AND h.member_id > $${values.length}`;
  }
  values.push(page.first + 1);
  const { rows } = await client.query<{
    member_id: string;
    union_id: string;
    status: string;
    gender: string;
  }>(
    `SELECT h.member_id, h.union_id, h.status, h.gender FROM rm_member_history h
      WHERE h.tenant_id = $1 AND ${scope} AND h.valid_from <= $2 AND (h.valid_to IS NULL OR h.valid_to > $2)
        AND ($4::text IS NULL OR h.status = $4) ${after}
      ORDER BY h.member_id LIMIT $${values.length}`,
    values,
  );
  const nodes = rows.slice(0, page.first).map((r) => ({
    memberId: r.member_id,
    unionId: r.union_id,
    status: r.status,
    gender: r.gender,
  }));
  return {
    nodes,
    hasNextPage: rows.length > page.first,
    endCursor: nodes.at(-1) ? encodeCursor(nodes.at(-1)!.memberId) : null,
  };
}
