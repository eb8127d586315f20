import type { PoolClient } from 'pg';

/**
 * Set-based load and upsert of a read model keyed by (tenant_id, key): one statement whatever
 * the number of rows (rows travel as one JSON array expanded by jsonb_to_recordset). Shared by
 * the transfers and elections projections.
 */
export interface RowTable {
  readonly table: string;
  readonly key: string;
  /** `name type` pairs, comma separated, as for jsonb_to_recordset. */
  readonly columns: string;
  /** Computed on write from other tables, e.g. `from_path = (SELECT path FROM rm_unions ...)`. */
  readonly joined?: Readonly<Record<string, string>>;
}

const parse = (columns: string) =>
  columns.split(',').map((c) => {
    const [name = '', type = ''] = c.trim().split(/\s+/);
    return { name, type };
  });

/** Dates come back as 'YYYY-MM-DD' text (never a JS Date in the machine's zone), bigints as numbers. */
function selectList(columns: string): string {
  return parse(columns)
    .map(({ name, type }) =>
      type === 'date'
        ? `${name}::text AS ${name}`
        : type === 'bigint'
          ? `${name}::float8 AS ${name}`
          : name,
    )
    .join(', ');
}

export async function loadRows<Row>(
  client: PoolClient,
  spec: RowTable,
  tenantId: string,
  ids: readonly string[],
): Promise<Map<string, Row>> {
  if (ids.length === 0) return new Map();
  const { rows } = await client.query<Record<string, unknown>>(
    `SELECT ${selectList(spec.columns)} FROM ${spec.table} WHERE tenant_id = $1 AND ${spec.key} = ANY($2)`,
    [tenantId, ids],
  );
  return new Map(rows.map((r) => [String(r[spec.key]), r as Row]));
}

/** Inserts or updates rows; a row already at or past an incoming row's position is left alone. */
export async function upsertRows(
  client: PoolClient,
  spec: RowTable,
  tenantId: string,
  rows: readonly object[],
): Promise<void> {
  if (rows.length === 0) return;
  const own = parse(spec.columns).map((c) => c.name);
  const joined = Object.entries(spec.joined ?? {});
  const all = [...own, ...joined.map(([name]) => name)];
  const values = [...own.map((c) => `x.${c}`), ...joined.map(([, sql]) => `(${sql})`)];
  await client.query(
    `INSERT INTO ${spec.table} (tenant_id, ${all.join(', ')})
     SELECT $1, ${values.join(', ')} FROM jsonb_to_recordset($2::jsonb) AS x(${spec.columns})
     ON CONFLICT (tenant_id, ${spec.key}) DO UPDATE SET
       ${all
         .filter((c) => c !== spec.key)
         .map((c) => `${c} = excluded.${c}`)
         .join(', ')}
     WHERE ${spec.table}.last_position < excluded.last_position`,
    [tenantId, JSON.stringify(rows)],
  );
}

/** A union's materialised path from the registry, or null when the union is unknown. */
export async function unionPath(
  client: PoolClient,
  tenantId: string,
  unionId: string,
): Promise<string | null> {
  const { rows } = await client.query<{ path: string }>(
    'SELECT path FROM rm_unions WHERE tenant_id = $1 AND union_id = $2',
    [tenantId, unionId],
  );
  return rows[0]?.path ?? null;
}
