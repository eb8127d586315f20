import type { EventStore, LogCheckpoint, ReadAllResult } from '@app/event-store';

/**
 * One log read for every live follower that asks for the same batch at the same time: after a
 * commit the followers wake together at the same checkpoint, and without this each would run
 * its own identical `readAll`. Only reads still in flight are shared, and only those started
 * since the last `wake` (a read started before a commit may not see it: a follower woken for
 * that commit must not get the older answer).
 */
export class SharedLogReader {
  private generation = 0;
  private readonly inFlight = new Map<
    string,
    { generation: number; read: Promise<ReadAllResult> }
  >();

  constructor(private readonly store: EventStore) {}

  /** Something was committed: reads started before now are not shared any more. */
  wake(): void {
    this.generation++;
  }

  read(after: LogCheckpoint, limit: number): Promise<ReadAllResult> {
    const key = `${after.transactionId}/${after.position}/${limit}`;
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
