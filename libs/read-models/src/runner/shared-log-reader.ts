import type { EventStore, LogCheckpoint, ReadAllResult } from '@app/event-store';

/**
 * Batches handed over to dependent followers, newest kept: a dependent slower than its dependency
 * takes several at once (so its batches grow, as they did when it read the log), within a bound
 * on the events held.
 */
const HANDED_OVER = { batches: 8, events: 6_000 };

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
  private handedEvents = 0;

  constructor(private readonly store: EventStore) {}

  /** Something was committed: reads started before now are not shared any more. */
  wake(): void {
    this.generation++;
  }

  /** A batch (read after `after`) that projection `by` applied, for the projections after it. */
  handOver(after: LogCheckpoint, batch: ReadAllResult, by: string): void {
    if (batch.events.length === 0) return;
    const key = keyOf(after);
    this.handedEvents -= this.handed.get(key)?.batch.events.length ?? 0;
    this.handed.delete(key);
    this.handed.set(key, { batch, by });
    this.handedEvents += batch.events.length;
    while (
      this.handed.size > HANDED_OVER.batches ||
      (this.handed.size > 1 && this.handedEvents > HANDED_OVER.events)
    ) {
      const oldest = this.handed.keys().next().value!;
      this.handedEvents -= this.handed.get(oldest)!.batch.events.length;
      this.handed.delete(oldest);
    }
  }

  /**
   * What `by` handed over from `after` on: its consecutive batches joined, up to `limit`
   * events (the first whatever its size); undefined when it handed over nothing from there.
   */
  handedOver(after: LogCheckpoint, by: string, limit: number): ReadAllResult | undefined {
    let next = this.handed.get(keyOf(after));
    if (next?.by !== by) return undefined;
    const batches: ReadAllResult[] = [];
    let events = 0;
    while (
      next?.by === by &&
      (batches.length === 0 || events + next.batch.events.length <= limit)
    ) {
      batches.push(next.batch);
      events += next.batch.events.length;
      next = this.handed.get(keyOf(next.batch.checkpoint));
    }
    if (batches.length === 1) return batches[0];
    return { events: batches.flatMap((b) => b.events), checkpoint: batches.at(-1)!.checkpoint };
  }

  /** Drops the batches handed over (a projection was reset: they are no longer applied). */
  forgetHandedOver(): void {
    this.handed.clear();
    this.handedEvents = 0;
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
