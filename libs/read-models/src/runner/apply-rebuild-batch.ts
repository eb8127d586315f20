import { recordFailure, type LogCheckpoint, type ReadAllResult } from '@app/event-store';
import type { Pool } from 'pg';
import { applyInTransaction } from './apply-in-transaction';
import type { BatchApplier, Projection } from './projection';
import { CheckpointMovedError } from './runner-errors';
import { withinDependencies } from './within-dependencies';

/**
 * One batch of a rebuild's shared replay, the whole batch or nothing: false when a dependency is
 * behind or another runner moved the checkpoint (the projection leaves the replay). A failure is
 * recorded in its checkpoint row and thrown.
 */
export async function applyRebuildBatch(
  pool: Pool,
  projection: Projection,
  applier: BatchApplier,
  batch: ReadAllResult,
  from: LogCheckpoint,
  /** The projections of this replay. */
  replayed: readonly string[],
): Promise<boolean> {
  // a dependency in the same replay has applied this very batch (the replay waits for it), so
  // only one outside it (not rebuilt, maybe behind) needs its checkpoint read
  if (projection.dependsOn?.some((d) => !replayed.includes(d))) {
    const within = await withinDependencies(pool, projection, batch);
    if (within.events.length !== batch.events.length) return false;
  }
  try {
    await applyInTransaction(pool, projection, batch, from, { rebuild: applier });
    return true;
  } catch (error) {
    if (error instanceof CheckpointMovedError) return false;
    const reason = error instanceof Error ? error.message : String(error);
    await recordFailure(pool, projection.name, batch.events[0]!.globalPosition, reason).catch(
      () => undefined,
    );
    throw error;
  }
}
