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
 * Index builds at once: each is a sort on one core, so two keep a 2-core server busy without
 * holding more sort memory (maintenance_work_mem each) than they can use.
 */
const PARALLEL_BUILDS = 2;

/**
 * Builds every suspended index of `tables` again (all tables when omitted), one index per
 * connection (migration 0023), PARALLEL_BUILDS at a time, largest tables first so the longest
 * builds do not start last; returns how many.
 */
export async function restoreIndexes(pool: Pool, tables?: readonly string[]): Promise<number> {
  const { rows: suspended } = await pool.query<{ index_name: string }>(
    `SELECT s.index_name FROM rebuild_suspended_indexes s
      WHERE $1::text[] IS NULL OR s.table_name = ANY($1)
      ORDER BY pg_relation_size(to_regclass(format('public.%I', s.table_name))) DESC NULLS LAST,
               s.index_name`,
    [tables ?? null],
  );
  const queue = suspended.map((r) => r.index_name);
  let built = 0;
  const worker = async () => {
    for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
      const n = await withTransaction(pool, async (client) => {
        // building over millions of rows may outlast the pool's statement timeout (an API's 30 s)
        await client.query('SET LOCAL statement_timeout = 0');
        const { rows } = await client.query<{ n: number }>('SELECT rm_restore_index($1) AS n', [
          name,
        ]);
        return rows[0]?.n ?? 0;
      });
      built += n; // after the await: `built += await …` would add to a stale total
    }
  };
  // both finish (no build left running behind an error), then the first failure is thrown
  const done = await Promise.allSettled(Array.from({ length: PARALLEL_BUILDS }, worker));
  const failed = done.find((d) => d.status === 'rejected');
  if (failed) throw failed.reason;
  return built;
}
