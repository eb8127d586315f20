import type { ReadAllResult } from '@app/event-store';
import type { Pool } from 'pg';
import type { Projection } from './projection';

/** The part of the batch that every dependency has already applied. */
export async function withinDependencies(
  pool: Pool,
  projection: Projection,
  batch: ReadAllResult,
): Promise<ReadAllResult> {
  const deps = projection.dependsOn ?? [];
  if (deps.length === 0) return batch;
  const { rows } = await pool.query<{ tx: string; pos: string; n: number }>(
    `SELECT transaction_id::text AS tx, global_position AS pos, count(*) OVER ()::int AS n
         FROM subscription_checkpoints WHERE name = ANY($1)
        ORDER BY transaction_id, global_position LIMIT 1`,
    [deps],
  );
  const slowest = rows[0];
  if (!slowest || slowest.n < deps.length) return { events: [], checkpoint: batch.checkpoint };
  const limitTx = BigInt(slowest.tx);
  const limitPos = Number(slowest.pos);
  const events = batch.events.filter((e) => {
    const tx = BigInt(e.transactionId);
    return tx < limitTx || (tx === limitTx && e.globalPosition <= limitPos);
  });
  const last = events.at(-1);
  return {
    events,
    checkpoint: last
      ? { transactionId: last.transactionId, position: last.globalPosition }
      : batch.checkpoint,
  };
}
