import type { PoolClient } from 'pg';
import type { MemberRow } from './member-fold';
import type { PaymentRow } from './payments-fold';
import type { UnionRow } from './union-fold';

/**
 * Set-based reads and writes of the registry tables: each function is one statement whatever the
 * number of rows (rows travel as one JSON array, expanded by jsonb_to_recordset).
 */

const UNION_COLUMNS = `union_id text, parent_id text, level text, status text, name text, path text,
  ancestors text[], depth int, governance_form text, joint_with text[], organizer_member_id text,
  committee jsonb, committee_seats int, chair_member_id text, women_committee text[],
  group_leader_id text, term_start date, term_end date, term_extended_months int,
  last_meeting_on date, requested_on date, established_on date, dissolved_on date, version int, last_position bigint`;

const MEMBER_COLUMNS = `member_id text, union_id text, union_path text, status text, name text, gender text,
  employee_no text, card_number text, applied_on date, joined_on date, ended_on date,
  dues_exempt boolean, dues_liable_from text, last_paid_period text, internal_retirement_on date,
  open_transfer_id text, transfer_to_union_id text, arrears_educated_on date, version int, last_position bigint`;

const names = (columns: string) => columns.split(',').map((c) => c.trim().split(/\s+/)[0]!);

function upsertSql(table: string, key: string, columns: string): string {
  const cols = names(columns);
  return `INSERT INTO ${table} (tenant_id, ${cols.join(', ')})
          SELECT $1, ${cols.join(', ')} FROM jsonb_to_recordset($2::jsonb) AS x(${columns})
          ON CONFLICT (tenant_id, ${key}) DO UPDATE SET
            ${cols
              .filter((c) => c !== key)
              .map((c) => `${c} = excluded.${c}`)
              .join(', ')}
          WHERE ${table}.last_position < excluded.last_position`;
}

const DATE_FIELDS = [
  'term_start',
  'term_end',
  'last_meeting_on',
  'requested_on',
  'established_on',
  'dissolved_on',
  'applied_on',
  'joined_on',
  'ended_on',
  'internal_retirement_on',
  'arrears_educated_on',
];

/** pg returns `date` as a JS Date at local midnight; the model keeps 'YYYY-MM-DD' strings. */
function normaliseDates<T>(row: Record<string, unknown>): T {
  for (const field of DATE_FIELDS) {
    const value = row[field];
    if (value instanceof Date) {
      row[field] =
        `${value.getFullYear()}-${String(value.getMonth() + 1).padStart(2, '0')}-${String(value.getDate()).padStart(2, '0')}`;
    }
  }
  if (row.last_position !== undefined) row.last_position = Number(row.last_position);
  return row as T;
}

export async function loadUnions(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, UnionRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${names(UNION_COLUMNS).join(', ')} FROM rm_unions WHERE tenant_id = $1 AND union_id = ANY($2)`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => normaliseDates<UnionRow>(r)).map((r) => [r.union_id, r]));
}

export async function loadMembers(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, MemberRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${names(MEMBER_COLUMNS).join(', ')} FROM rm_members WHERE tenant_id = $1 AND member_id = ANY($2)`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => normaliseDates<MemberRow>(r)).map((r) => [r.member_id, r]));
}

export async function writeUnions(
  client: PoolClient,
  tenantId: string,
  rows: readonly UnionRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(upsertSql('rm_unions', 'union_id', UNION_COLUMNS), [
    tenantId,
    JSON.stringify(rows),
  ]);
}

export async function writeMembers(
  client: PoolClient,
  tenantId: string,
  rows: readonly MemberRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(upsertSql('rm_members', 'member_id', MEMBER_COLUMNS), [
    tenantId,
    JSON.stringify(rows),
  ]);
}

/** Payments only: one UPDATE of unindexed columns (HOT), no row loaded first. */
export async function writePayments(
  client: PoolClient,
  tenantId: string,
  rows: readonly PaymentRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `UPDATE rm_members m
        SET last_paid_period = greatest(m.last_paid_period, x.period), version = x.version,
            last_position = x.position
       FROM unnest($2::text[], $3::text[], $4::int[], $5::bigint[]) AS x(member_id, period, version, position)
      WHERE m.tenant_id = $1 AND m.member_id = x.member_id AND m.last_position < x.position`,
    [
      tenantId,
      rows.map((r) => r.member_id),
      rows.map((r) => r.last_paid_period),
      rows.map((r) => r.version),
      rows.map((r) => r.last_position),
    ],
  );
}

export interface RollupDelta {
  union_id: string;
  active: number;
  female: number;
  retained: number;
  /** +1 when the union became active, -1 when it stopped being active (counts on strict ancestors). */
  unions: number;
}

/**
 * Moves the counters of every union on each delta's ancestor chain in one statement: own_* on the
 * union itself, sub_* on it and all its ancestors, sub_active_unions on strict ancestors.
 */
export async function applyRollups(
  client: PoolClient,
  tenantId: string,
  deltas: readonly RollupDelta[],
): Promise<void> {
  const moving = deltas.filter((d) => d.active || d.female || d.retained || d.unions);
  if (moving.length === 0) return;
  await client.query(
    `WITH d AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(union_id text, active int, female int, retained int, unions int)
     ), spread AS (
       SELECT a.anc AS union_id,
              sum(d.active) AS active, sum(d.female) AS female, sum(d.retained) AS retained,
              sum(CASE WHEN a.anc = d.union_id THEN 0 ELSE d.unions END) AS unions,
              sum(CASE WHEN a.anc = d.union_id THEN d.active ELSE 0 END) AS own_active,
              sum(CASE WHEN a.anc = d.union_id THEN d.female ELSE 0 END) AS own_female,
              sum(CASE WHEN a.anc = d.union_id THEN d.retained ELSE 0 END) AS own_retained
         FROM d
         JOIN rm_unions t ON t.tenant_id = $1 AND t.union_id = d.union_id
         CROSS JOIN LATERAL unnest(t.ancestors) AS a(anc)
        GROUP BY a.anc
     )
     UPDATE rm_unions u
        SET sub_active = u.sub_active + s.active, sub_female = u.sub_female + s.female,
            sub_retained = u.sub_retained + s.retained, sub_active_unions = u.sub_active_unions + s.unions,
            own_active = u.own_active + s.own_active, own_female = u.own_female + s.own_female,
            own_retained = u.own_retained + s.own_retained
       FROM spread s
      WHERE u.tenant_id = $1 AND u.union_id = s.union_id`,
    [tenantId, JSON.stringify(moving)],
  );
}

export interface HistoryRow {
  id: string;
  position: number;
  valid_from: string;
  valid_to: string | null;
  status: string;
  union_id: string;
  path: string;
  extra: string; // gender (members) or name (unions)
  governance_form?: string;
}

/** Where each kind of history lives and how a HistoryRow maps onto its columns. */
const HISTORY = {
  member: {
    table: 'rm_member_history',
    key: 'member_id',
    insert: `(tenant_id, member_id, position, valid_from, valid_to, status, union_id, union_path, gender)
     SELECT $1, id, position, valid_from, valid_to, status, union_id, path, extra`,
  },
  union: {
    table: 'rm_union_history',
    key: 'union_id',
    insert: `(tenant_id, union_id, position, valid_from, valid_to, status, name, governance_form, path)
     SELECT $1, id, position, valid_from, valid_to, status, extra, governance_form, path`,
  },
} as const;

/**
 * Closes each entity's open history row at its first new row and inserts the new rows. Only
 * entities that had a row before the batch (`existed`) can have an open history row: a batch of
 * imported or newly approved members skips the closing statement (it read every history row of
 * the tenant when the table had no statistics yet).
 */
async function writeHistory(
  client: PoolClient,
  kind: keyof typeof HISTORY,
  tenantId: string,
  rows: readonly HistoryRow[],
  existed: (id: string) => boolean,
): Promise<void> {
  if (rows.length === 0) return;
  const { table, key, insert } = HISTORY[kind];
  const json = JSON.stringify(rows);
  const closing = rows.filter((row) => existed(row.id));
  if (closing.length > 0)
    await client.query(
      `UPDATE ${table} h SET valid_to = f.valid_from
         FROM (SELECT DISTINCT ON (id) id, position, valid_from
                 FROM jsonb_to_recordset($2::jsonb) AS x(id text, position bigint, valid_from date)
                ORDER BY id, position) f
        WHERE h.tenant_id = $1 AND h.${key} = f.id AND h.valid_to IS NULL AND h.position < f.position
          AND h.${key} = ANY($3)`,
      // the ids again as an array: an index range per id on the primary key; joined on the
      // JSON rows alone the planner hashed them against every history row of the tenant
      [tenantId, JSON.stringify(closing), closing.map((row) => row.id)],
    );
  await client.query(
    `INSERT INTO ${table} ${insert}
       FROM jsonb_to_recordset($2::jsonb) AS x(id text, position bigint, valid_from date, valid_to date,
            status text, union_id text, path text, extra text, governance_form text)
     ON CONFLICT DO NOTHING`,
    [tenantId, json],
  );
}

export const writeMemberHistory = (
  client: PoolClient,
  tenantId: string,
  rows: readonly HistoryRow[],
  existed: (memberId: string) => boolean,
) => writeHistory(client, 'member', tenantId, rows, existed);

export const writeUnionHistory = (
  client: PoolClient,
  tenantId: string,
  rows: readonly HistoryRow[],
  existed: (unionId: string) => boolean,
) => writeHistory(client, 'union', tenantId, rows, existed);
