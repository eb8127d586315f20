import type { EventStore, LogCheckpoint, ReadAllResult } from '@app/event-store';

/** Batches handed over to dependent followers, newest kept (a dependent is a batch or two behind). */
const HANDED_OVER = 2;

const keyOf = (after: LogCheckpoint) => `${after.transactionId}/${after.position}`;

/**
 * One log read for every live follower that asks for the same batch at the same time: after a
 * commit the followers wake together at the same checkpoint, and without this each would run
 * its own identical `readAll`. Only reads still in flight are shared, and only those started
 * since the last `wake` (a read started before a commit may not see it: a follower woken for
 * that commit must not get the older answer).
 *
 * A projection that others depend on hands over each batch it applied: the dependent (dues
 * after the registry) asks next for exactly that batch, from the same checkpoint, and takes it
 * without reading the log again. A non-empty batch stays true whatever was committed since (the
 * gap-free log never gains an event below its end), so it may be handed over after a wake.
 */
export class SharedLogReader {
  private generation = 0;
  private readonly inFlight = new Map<
    string,
    { generation: number; read: Promise<ReadAllResult> }
  >();
  private readonly handed = new Map<string, { batch: ReadAllResult; by: string }>();

  constructor(private readonly store: EventStore) {}

  /** Something was committed: reads started before now are not shared any more. */
  wake(): void {
    this.generation++;
  }

  /** A batch (read after `after`) that projection `by` applied, for the projections after it. */
  handOver(after: LogCheckpoint, batch: ReadAllResult, by: string): void {
    if (batch.events.length === 0) return;
    const key = keyOf(after);
    this.handed.delete(key);
    this.handed.set(key, { batch, by });
    while (this.handed.size > HANDED_OVER) this.handed.delete(this.handed.keys().next().value!);
  }

  /** The batch handed over from `after`, and who applied it. */
  handedOver(after: LogCheckpoint): { batch: ReadAllResult; by: string } | undefined {
    return this.handed.get(keyOf(after));
  }

  /** Drops the batches handed over (a projection was reset: they are no longer applied). */
  forgetHandedOver(): void {
    this.handed.clear();
  }

  read(after: LogCheckpoint, limit: number): Promise<ReadAllResult> {
    const handed = this.handed.get(keyOf(after))?.batch;
    if (handed && handed.events.length <= limit) return Promise.resolve(handed);
    const key = `${keyOf(after)}/${limit}`;
    const shared = this.inFlight.get(key);
    if (shared && shared.generation === this.generation) return shared.read;
    const read = this.store.readAll({ after, limit });
    const entry = { generation: this.generation, read };
    this.inFlight.set(key, entry);
    const done = () => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    };
    read.then(done, done);
    return read;
  }

  /** Reads in flight (tests). */
  get pending(): number {
    return this.inFlight.size;
  }
}
