import type { PoolClient } from 'pg';
import type { PeriodDelta } from './dues-deltas';
import type { DuesMemberRow, LedgerRow } from './dues-fold';
import type { Hole } from './dues-spans';

/**
 * Set-based reads and writes of the dues tables: each function is one statement whatever the
 * number of rows (rows travel as one JSON array, expanded by jsonb_to_recordset).
 */

type Column = readonly [name: string, type: string];

const MEMBER_COLUMNS: readonly Column[] = [
  ['member_id', 'text'],
  ['union_id', 'text'],
  ['union_path', 'text'],
  ['status', 'text'],
  ['liable_from', 'text'],
  ['exempt_from', 'text'],
  ['last_paid_period', 'text'],
  ['unpaid_since', 'text'],
  ['spans', 'jsonb'],
  ['last_position', 'bigint'],
];

const LEDGER_COLUMNS: readonly Column[] = [
  ['member_id', 'text'],
  ['period', 'text'],
  ['union_id', 'text'],
  ['wage_base_fen', 'bigint'],
  ['expected_fen', 'bigint'],
  ['paid_fen', 'bigint'],
  ['source', 'text'],
  ['paid_on', 'date'],
  ['corrected_on', 'date'],
  ['corrections', 'int'],
  ['last_position', 'bigint'],
];

const names = (columns: readonly Column[]) => columns.map(([name]) => name);

/**
 * One multi-row upsert: a typed array per column expanded by unnest (cheaper to parse than one
 * JSON document on the hot path of a rebuild); a row never goes back to an older position.
 */
async function upsert(
  client: PoolClient,
  tenantId: string,
  table: string,
  key: readonly string[] | 'new rows only',
  columns: readonly Column[],
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  const cols = names(columns);
  const arrays = columns.map(([name, type]) =>
    rows.map((row) => {
      const value = (row as Record<string, unknown>)[name];
      return type === 'jsonb' ? JSON.stringify(value) : value;
    }),
  );
  const conflict =
    key === 'new rows only'
      ? ''
      : `ON CONFLICT (tenant_id, ${key.join(', ')}) DO UPDATE SET
       ${cols
         .filter((c) => !key.includes(c))
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}
     WHERE ${table}.last_position < excluded.last_position`;
  await client.query(
    `INSERT INTO ${table} (tenant_id, ${cols.join(', ')})
     SELECT $1, ${cols.join(', ')}
       FROM unnest(${columns.map(([, type], i) => `$${i + 2}::${type}[]`).join(', ')})
         AS x(${cols.join(', ')})
     ${conflict}`,
    [tenantId, ...arrays],
  );
}

/** Bigint and date columns come back as text; the model keeps numbers and 'YYYY-MM-DD'. */
const NUMBER_FIELDS = [
  'wage_base_fen',
  'expected_fen',
  'paid_fen',
  'corrections',
  'last_position',
] as const;

function numbers<T>(row: Record<string, unknown>): T {
  for (const field of NUMBER_FIELDS) if (row[field] !== undefined) row[field] = Number(row[field]);
  return row as T;
}

export async function loadDuesMembers(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, DuesMemberRow>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${names(MEMBER_COLUMNS).join(', ')} FROM rm_dues_members
      WHERE tenant_id = $1 AND member_id = ANY($2)`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => numbers<DuesMemberRow>(r)).map((r) => [r.member_id, r]));
}

export async function loadHoles(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Hole[]>> {
  const holes = new Map<string, Hole[]>();
  if (ids.length === 0) return holes;
  const { rows } = await client.query<{ member_id: string; hole_from: string; hole_to: string }>(
    `SELECT member_id, hole_from, hole_to FROM rm_dues_holes
      WHERE tenant_id = $1 AND member_id = ANY($2) ORDER BY member_id, hole_from`,
    [tenantId, ids],
  );
  for (const r of rows) {
    const list = holes.get(r.member_id) ?? [];
    list.push({ from: r.hole_from, to: r.hole_to });
    holes.set(r.member_id, list);
  }
  return holes;
}

/** The ledger rows of the given (member, month) pairs plus every row of `wholeLedgerOf`. */
export async function loadLedger(
  client: PoolClient,
  tenantId: string,
  pairs: readonly { memberId: string; period: string }[],
  wholeLedgerOf: readonly string[],
): Promise<LedgerRow[]> {
  if (pairs.length === 0 && wholeLedgerOf.length === 0) return [];
  const columns = names(LEDGER_COLUMNS)
    .map((c) => (c.endsWith('_on') ? `to_char(l.${c}, 'YYYY-MM-DD') AS ${c}` : `l.${c}`))
    .join(', ');
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${columns} FROM rm_dues_ledger l
       JOIN unnest($2::text[], $3::text[]) AS k(member_id, period)
         ON l.member_id = k.member_id AND l.period = k.period
      WHERE l.tenant_id = $1
     UNION
     SELECT ${columns} FROM rm_dues_ledger l WHERE l.tenant_id = $1 AND l.member_id = ANY($4)`,
    [tenantId, pairs.map((p) => p.memberId), pairs.map((p) => p.period), wholeLedgerOf],
  );
  return rows.map((r) => numbers<LedgerRow>(r));
}

export async function loadUnionPaths(
  client: PoolClient,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<{ union_id: string; path: string }>(
    'SELECT union_id, path FROM rm_unions WHERE tenant_id = $1 AND union_id = ANY($2)',
    [tenantId, ids],
  );
  return new Map(rows.map((r) => [r.union_id, r.path]));
}

export async function writeDuesMembers(
  client: PoolClient,
  tenantId: string,
  rows: readonly DuesMemberRow[],
): Promise<void> {
  await upsert(client, tenantId, 'rm_dues_members', ['member_id'], MEMBER_COLUMNS, rows);
}

/**
 * Rows that only paid (the last paid month, the unpaid run and the position moved, nothing else):
 * one UPDATE of those three columns, without shipping and re-parsing the spans or trying an
 * insert first; the same result as the upsert for rows that exist.
 */
export async function updateDuesPayments(
  client: PoolClient,
  tenantId: string,
  rows: readonly DuesMemberRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `UPDATE rm_dues_members m
        SET last_paid_period = x.last_paid_period, unpaid_since = x.unpaid_since,
            last_position = x.last_position
       FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[])
         AS x(member_id, last_paid_period, unpaid_since, last_position)
      WHERE m.tenant_id = $1 AND m.member_id = x.member_id AND m.last_position < x.last_position`,
    [
      tenantId,
      rows.map((r) => r.member_id),
      rows.map((r) => r.last_paid_period),
      rows.map((r) => r.unpaid_since),
      rows.map((r) => r.last_position),
    ],
  );
}

export async function writeLedger(
  client: PoolClient,
  tenantId: string,
  rows: readonly LedgerRow[],
): Promise<void> {
  await upsert(client, tenantId, 'rm_dues_ledger', ['member_id', 'period'], LEDGER_COLUMNS, rows);
}

/** Ledger rows that cannot exist yet: a plain INSERT (a duplicate key stops the projection). */
export async function insertLedger(
  client: PoolClient,
  tenantId: string,
  rows: readonly LedgerRow[],
): Promise<void> {
  await upsert(client, tenantId, 'rm_dues_ledger', 'new rows only', LEDGER_COLUMNS, rows);
}

/** Replaces the holes of the given members (two statements). */
export async function writeHoles(
  client: PoolClient,
  tenantId: string,
  holes: ReadonlyMap<string, readonly Hole[]>,
): Promise<void> {
  if (holes.size === 0) return;
  await client.query('DELETE FROM rm_dues_holes WHERE tenant_id = $1 AND member_id = ANY($2)', [
    tenantId,
    [...holes.keys()],
  ]);
  const rows = [...holes].flatMap(([member_id, list]) =>
    list.map((h) => ({ member_id, hole_from: h.from, hole_to: h.to })),
  );
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO rm_dues_holes (tenant_id, member_id, hole_from, hole_to)
     SELECT $1, member_id, hole_from, hole_to
       FROM jsonb_to_recordset($2::jsonb) AS x(member_id text, hole_from text, hole_to text)`,
    [tenantId, JSON.stringify(rows)],
  );
}

const FIGURES = ['paying', 'paid_fen', 'expected_fen', 'liable', 'paid_liable'] as const;
const COLUMN = {
  paying: 'paying',
  paid_fen: 'paid_fen',
  expected_fen: 'expected_fen',
  liable: 'liable_delta',
  paid_liable: 'paid_liable',
} as const;

/**
 * Moves the figures of every union on each delta's ancestor chain in one statement: own_* on the
 * union itself, sub_* on it and every ancestor; rows for new (union, month) pairs are created.
 */
export async function applyPeriodDeltas(
  client: PoolClient,
  tenantId: string,
  deltas: readonly PeriodDelta[],
): Promise<void> {
  if (deltas.length === 0) return;
  const sums = FIGURES.flatMap((f) => [
    `sum(CASE WHEN a.anc = d.union_id THEN d.${f} ELSE 0 END) AS own_${COLUMN[f]}`,
    `sum(d.${f}) AS sub_${COLUMN[f]}`,
  ]);
  const columns = FIGURES.flatMap((f) => [`own_${COLUMN[f]}`, `sub_${COLUMN[f]}`]);
  await client.query(
    `WITH d AS (
       SELECT * FROM jsonb_to_recordset($2::jsonb)
         AS x(union_id text, period text, paying int, paid_fen bigint, expected_fen bigint,
              liable int, paid_liable int)
     ), spread AS (
       SELECT a.anc AS union_id, d.period, ${sums.join(', ')}
         FROM d
         JOIN rm_unions t ON t.tenant_id = $1 AND t.union_id = d.union_id
         CROSS JOIN LATERAL unnest(t.ancestors) AS a(anc)
        GROUP BY a.anc, d.period
     )
     INSERT INTO rm_dues_union_period (tenant_id, union_id, period, ${columns.join(', ')})
     SELECT $1, union_id, period, ${columns.join(', ')} FROM spread
     ON CONFLICT (tenant_id, union_id, period) DO UPDATE SET
       ${columns.map((c) => `${c} = rm_dues_union_period.${c} + excluded.${c}`).join(', ')}`,
    [tenantId, JSON.stringify(deltas)],
  );
}

export interface ImportRow {
  union_id: string;
  period: string;
  position: number;
  paid_on: string;
  row_count: number;
  accepted: number;
  rejected: number;
  total_fen: number;
}

export async function writeImports(
  client: PoolClient,
  tenantId: string,
  rows: readonly ImportRow[],
): Promise<void> {
  if (rows.length === 0) return;
  await client.query(
    `INSERT INTO rm_dues_imports (tenant_id, union_id, period, position, paid_on, row_count, accepted, rejected, total_fen)
     SELECT $1, union_id, period, position, paid_on, row_count, accepted, rejected, total_fen
       FROM jsonb_to_recordset($2::jsonb)
         AS x(union_id text, period text, position bigint, paid_on date, row_count int,
              accepted int, rejected int, total_fen bigint)
     ON CONFLICT DO NOTHING`,
    [tenantId, JSON.stringify(rows)],
  );
}
