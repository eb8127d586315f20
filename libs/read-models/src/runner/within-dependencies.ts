import { compareCheckpoints, type LogCheckpoint, type ReadAllResult } from '@app/event-store';
import type { Pool } from 'pg';
import type { Projection } from './projection';

/** The checkpoint of the slowest of the projection's dependencies; null if one has none yet. */
export async function slowestDependency(
  pool: Pool,
  projection: Projection,
): Promise<LogCheckpoint | null> {
  const deps = projection.dependsOn ?? [];
  const { rows } = await pool.query<{ tx: string; pos: string; n: number }>(
    `SELECT transaction_id::text AS tx, global_position AS pos, count(*) OVER ()::int AS n
         FROM subscription_checkpoints WHERE name = ANY($1)
        ORDER BY transaction_id, global_position LIMIT 1`,
    [deps],
  );
  const slowest = rows[0];
  if (!slowest || slowest.n < deps.length) return null;
  return { transactionId: slowest.tx, position: Number(slowest.pos) };
}

/** Whether `a` lies at or before `b` in the log's order. */
export function atOrBefore(a: LogCheckpoint, b: LogCheckpoint): boolean {
  return compareCheckpoints(a, b) <= 0;
}

/** The part of the batch up to `limit` (what every dependency has applied). */
export function cutAt(batch: ReadAllResult, limit: LogCheckpoint | null): ReadAllResult {
  if (!limit) return { events: [], checkpoint: batch.checkpoint };
  const events = batch.events.filter((e) =>
    atOrBefore({ transactionId: e.transactionId, position: e.globalPosition }, limit),
  );
  if (events.length === batch.events.length) return batch;
  const last = events.at(-1);
  return {
    events,
    checkpoint: last
      ? { transactionId: last.transactionId, position: last.globalPosition }
      : batch.checkpoint,
  };
}

/** The part of the batch that every dependency has already applied. */
export async function withinDependencies(
  pool: Pool,
  projection: Projection,
  batch: ReadAllResult,
): Promise<ReadAllResult> {
  if ((projection.dependsOn ?? []).length === 0) return batch;
  return cutAt(batch, await slowestDependency(pool, projection));
}
