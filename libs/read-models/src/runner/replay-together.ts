import {
  LOG_START,
  type EventStore,
  type LogCheckpoint,
  type ReadAllResult,
} from '@app/event-store';
import type { RecordedEvent } from '@app/core';
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
  /** Batches handed out and not yet applied by every projection (default DEFAULT_WINDOW). */
  readonly window?: number;
}

/**
 * Batches in flight by default: enough for the projections that cost little per batch to keep
 * both cores busy beside the slowest one (a 5,000-event batch holds a few MiB).
 */
export const DEFAULT_WINDOW = 6;

/** One read of the store returns at most this many events (its limit). */
const MAX_READ = 10_000;

/**
 * A batch of up to `size` events in reads of at most MAX_READ: a bigger rebuild batch writes a
 * member's row once for all its events in the batch. Stops early where the log stops (or stops
 * being gap-free: a short read).
 */
async function readUpTo(
  store: EventStore,
  after: LogCheckpoint,
  size: number,
): Promise<ReadAllResult> {
  const events: RecordedEvent[] = [];
  let checkpoint = after;
  while (events.length < size) {
    const limit = Math.min(size - events.length, MAX_READ);
    const read = await store.readAll({ after: checkpoint, limit });
    events.push(...read.events);
    checkpoint = read.checkpoint;
    if (read.events.length < limit) break;
  }
  return { events, checkpoint };
}

/** Waits for every one (no transaction left running), then fails with the first failure. */
async function allOrFirstError(promises: readonly Promise<boolean>[]): Promise<boolean[]> {
  const results = await Promise.allSettled(promises);
  const failed = results.find((r) => r.status === 'rejected');
  if (failed) throw failed.reason;
  return results.map((r) => (r as PromiseFulfilledResult<boolean>).value);
}

/** The projections of the set that `p` reads from. */
const dependencies = (p: Projection, set: readonly Projection[]) =>
  set.filter((q) => p.dependsOn?.includes(q.name));

/** Dependencies first (depth-first), whatever order the set came in. */
function dependenciesFirst(set: readonly Projection[]): Projection[] {
  const out: Projection[] = [];
  const visit = (p: Projection) => {
    if (out.includes(p)) return;
    dependencies(p, set).forEach(visit);
    out.push(p);
  };
  set.forEach(visit);
  return out;
}

/** A batch handed to every projection, not yet applied by all of them. */
interface InFlight {
  readonly events: number;
  readonly applied: readonly Promise<boolean>[];
}

/**
 * Replays the log from the start into several (emptied) projections with one reader: each batch
 * is read once and handed to every projection, each in its own transaction, so the database works
 * on several at once. A projection applies batch k after its own batch k - 1 and after the
 * projections it reads from have applied batch k. Up to `window` batches are in flight: the
 * projections that are cheap per batch run that far ahead of the slowest one instead of waiting
 * for it batch by batch, so their work overlaps its chain of batches on the other core, and the
 * slowest one ends with the machine to itself. Memory holds `window` batches plus the one read
 * ahead, whatever the log's length. Returns the events read.
 */
export async function replayTogether(options: ReplayTogetherOptions): Promise<number> {
  const { store, batchSize } = options;
  const window = Math.max(1, options.window ?? DEFAULT_WINDOW);
  const projections = dependenciesFirst(options.projections);
  const read = (after: LogCheckpoint) => {
    const pending = readUpTo(store, after, batchSize);
    pending.catch(() => undefined); // awaited below; a failure while applying must not leave it unhandled
    return pending;
  };
  /** Per projection: its latest batch handed out, applied (false once it left the replay). */
  let previous = new Map(projections.map((p) => [p.name, Promise.resolve(true)]));
  const inFlight: InFlight[] = [];
  let from: LogCheckpoint = LOG_START;
  let done = 0;
  let everyoneLeft = false;
  /** Waits for the oldest batch in flight; notes whether any projection is still in step. */
  const settleOldest = async () => {
    const oldest = inFlight.shift()!;
    const inStep = await allOrFirstError(oldest.applied);
    done += oldest.events;
    options.onProgress?.(done);
    if (inStep.length > 0 && inStep.every((ok) => !ok)) everyoneLeft = true;
  };
  let next = read(from);
  try {
    while (!everyoneLeft) {
      const batch = await next;
      if (batch.events.length === 0) break;
      next = read(batch.checkpoint);
      const start = from;
      const current = new Map<string, Promise<boolean>>();
      for (const p of projections) {
        const waits = [
          previous.get(p.name)!,
          ...dependencies(p, projections).map((d) => current.get(d.name)!),
        ];
        const applied = Promise.all(waits).then((ok) =>
          ok.every(Boolean) ? options.apply(p, batch, start) : false,
        );
        applied.catch(() => undefined); // awaited through `inFlight`
        current.set(p.name, applied);
      }
      inFlight.push({ events: batch.events.length, applied: [...current.values()] });
      previous = current;
      from = batch.checkpoint;
      while (inFlight.length >= window && !everyoneLeft) await settleOldest();
    }
    while (inFlight.length > 0) await settleOldest();
  } catch (error) {
    // no transaction left running behind the error
    await Promise.allSettled(inFlight.flatMap((b) => b.applied));
    throw error;
  }
  options.onProgress?.(done);
  return done;
}
