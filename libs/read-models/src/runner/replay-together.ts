import {
  LOG_START,
  type EventStore,
  type LogCheckpoint,
  type ReadAllResult,
} from '@app/event-store';
import type { Projection } from './projection';

export interface ReplayTogetherOptions {
  readonly store: EventStore;
  readonly projections: readonly Projection[];
  readonly batchSize: number;
  /**
   * Applies the whole batch to one projection in its own transaction; false when the projection
   * is no longer where the replay stands (another runner moved it, a dependency not rebuilt here
   * is behind): it leaves the shared replay and catches up on its own afterwards.
   */
  apply(projection: Projection, batch: ReadAllResult, from: LogCheckpoint): Promise<boolean>;
  onProgress?(events: number): void;
}

/** Dependency levels: a projection comes after every projection of the set that it reads. */
function levels(projections: readonly Projection[]): Projection[][] {
  const names = new Set(projections.map((p) => p.name));
  const level = new Map<string, number>();
  const levelOf = (p: Projection): number => {
    const known = level.get(p.name);
    if (known !== undefined) return known;
    const deps = (p.dependsOn ?? []).filter((d) => names.has(d));
    const value =
      deps.length === 0
        ? 0
        : 1 + Math.max(...deps.map((d) => levelOf(projections.find((q) => q.name === d)!)));
    level.set(p.name, value);
    return value;
  };
  const out: Projection[][] = [];
  for (const p of projections) (out[levelOf(p)] ??= []).push(p);
  return out.filter((l) => l.length > 0);
}

/**
 * Replays the log from the start into several (emptied) projections with one reader: each batch
 * is read once, the next one is read while this one is applied, and the projections of one
 * dependency level apply it in parallel, each in its own transaction (so the database works on
 * several at once). Only the current and the next batch are in memory. Returns the events read.
 */
export async function replayTogether(options: ReplayTogetherOptions): Promise<number> {
  const { store, batchSize } = options;
  let inStep = new Set(options.projections.map((p) => p.name));
  const order = levels(options.projections);
  let from: LogCheckpoint = LOG_START;
  let done = 0;
  const read = (after: LogCheckpoint) => {
    const pending = store.readAll({ after, limit: batchSize });
    pending.catch(() => undefined); // awaited below; a failure while applying must not leave it unhandled
    return pending;
  };
  let next = read(from);
  while (inStep.size > 0) {
    const batch = await next;
    if (batch.events.length === 0) break;
    next = read(batch.checkpoint);
    for (const level of order) {
      const active = level.filter((p) => inStep.has(p.name));
      const results = await Promise.allSettled(active.map((p) => options.apply(p, batch, from)));
      const failed = results.find((r) => r.status === 'rejected');
      if (failed) throw failed.reason;
      const left = active.filter(
        (_, i) => (results[i] as PromiseFulfilledResult<boolean>).value === false,
      );
      if (left.length > 0)
        inStep = new Set([...inStep].filter((n) => !left.some((p) => p.name === n)));
    }
    done += batch.events.length;
    from = batch.checkpoint;
    options.onProgress?.(done);
  }
  return done;
}
