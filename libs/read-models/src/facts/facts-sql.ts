import { withTenant } from '@app/database';
import type { Pool, PoolClient } from 'pg';

/** '/a/b/' → ['a', 'b'] */
export const pathIds = (path: string): string[] => path.split('/').filter((id) => id !== '');

export const periodOf = (date: string): string => date.slice(0, 7);

/** A read-only transaction in the tenant (row-level security hides every other tenant). */
export const readInTenant = <T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> => withTenant(pool, tenantId, work, { readOnly: true });

/** Current paths of the given unions (unknown ids absent). */
export async function unionPaths(
  client: PoolClient,
  tenantId: string,
  unionIds: readonly string[],
): Promise<Map<string, string>> {
  if (unionIds.length === 0) return new Map();
  const { rows } = await client.query<{ union_id: string; path: string }>(
    `SELECT union_id, path FROM rm_unions WHERE tenant_id = $1 AND union_id = ANY($2::text[])`,
    [tenantId, [...new Set(unionIds)]],
  );
  return new Map(rows.map((row) => [row.union_id, row.path]));
}
