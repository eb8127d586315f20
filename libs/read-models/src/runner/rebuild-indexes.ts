import { withTransaction } from '@app/database';
import type { Pool } from 'pg';

/**
 * Secondary indexes during a rebuild (migration 0019): the tables are loaded from empty, so their
 * non-unique indexes are dropped first and built once over the loaded rows at the end, instead of
 * taking an entry per row written (and making every update of an indexed column a non-HOT one).
 * Primary keys stay: the projections look rows up and resolve conflicts through them.
 */
export async function suspendIndexes(pool: Pool, tables: readonly string[]): Promise<number> {
  if (tables.length === 0) return 0;
  const { rows } = await pool.query<{ n: number }>('SELECT rm_suspend_indexes($1) AS n', [tables]);
  return rows[0]?.n ?? 0;
}

/**
 * Builds every suspended index of `tables` again (all tables when omitted), one table per
 * connection at a time so the sorts of different tables run side by side; returns how many.
 */
export async function restoreIndexes(pool: Pool, tables?: readonly string[]): Promise<number> {
  const { rows: suspended } = await pool.query<{ table_name: string }>(
    `SELECT DISTINCT table_name FROM rebuild_suspended_indexes
      WHERE $1::text[] IS NULL OR table_name = ANY($1)`,
    [tables ?? null],
  );
  const built = await Promise.all(
    suspended.map(({ table_name }) =>
      withTransaction(pool, async (client) => {
        // building over millions of rows may outlast the pool's statement timeout (an API's 30 s)
        await client.query('SET LOCAL statement_timeout = 0');
        const { rows } = await client.query<{ n: number }>('SELECT rm_restore_indexes($1) AS n', [
          [table_name],
        ]);
        return rows[0]?.n ?? 0;
      }),
    ),
  );
  return built.reduce((a, b) => a + b, 0);
}
