import { compareCheckpoints, type EventStore, type LogCheckpoint } from '@app/event-store';
import type { Pool } from 'pg';
import { ConsistencyTimeoutError } from './runner-errors';

/** How often waiting readers re-read the checkpoints (all of them together, one query). */
const REFRESH_MS = 25;

/**
 * Read-your-writes for the runner: what this process knows of each projection's checkpoint (its
 * own commits at once, the others' through one shared read), the readers waiting for a position,
 * and the listeners told when read models changed without a commit this process announced.
 */
export class CheckpointWaiter {
  private readonly waiters = new Set<() => void>();
  private readonly unseenListeners = new Set<() => void>();
  /** Batches being committed per projection (their checkpoint not yet in `known`). */
  private readonly applying = new Map<string, number>();
  /** The last checkpoint this process saw for each projection (its own commits, or read). */
  private readonly known = new Map<string, LogCheckpoint>();
  private refreshing: Promise<void> | undefined;
  private refreshedAt = 0;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    /** Every projection of the runner (one checkpoint read covers them all). */
    private readonly names: readonly string[],
    /** Told which projections a reader is waiting for (so they do not linger). */
    private readonly hurry: (names: readonly string[]) => void = () => undefined,
  ) {}

  /** See ProjectionRunner.onUnseenChanges; returns the undo. */
  onUnseenChanges(listener: () => void): () => void {
    this.unseenListeners.add(listener);
    return () => this.unseenListeners.delete(listener);
  }

  /** Read models changed without a batch commit this process told its listeners of. */
  tellUnseen(): void {
    this.unseenListeners.forEach((listener) => listener());
  }

  /** A checkpoint reset here: what this process knew of it is no longer true. */
  forget(name: string): void {
    this.known.delete(name);
  }

  /** Lets every waiting reader look at the known checkpoints again. */
  wakeWaiters(): void {
    this.waiters.forEach((w) => w());
  }

  /** Runs `commit` (a batch of `name` up to `checkpoint`) and knows its checkpoint once done. */
  async committing(
    name: string,
    checkpoint: LogCheckpoint,
    commit: () => Promise<unknown>,
  ): Promise<void> {
    // until `known` has this batch, a checkpoint read elsewhere may already show its commit
    this.applying.set(name, (this.applying.get(name) ?? 0) + 1);
    try {
      await commit();
      this.known.set(name, checkpoint);
    } finally {
      const left = this.applying.get(name)! - 1;
      if (left > 0) this.applying.set(name, left);
      else this.applying.delete(name);
    }
  }

  /**
   * Resolves once every one of `names` has applied the event at `position` of the tenant, or
   * throws ConsistencyTimeoutError. Its own commits are known at once (no query), the others'
   * (another projector process, a rebuild) through one shared checkpoint read at most every
   * REFRESH_MS for all waiters together, however many there are.
   */
  async waitFor(
    tenantId: string,
    position: number,
    timeoutMs: number,
    names: readonly string[],
  ): Promise<void> {
    const target = await this.store.checkpointAt(tenantId, position);
    if (!target) return; // no such event for this tenant: nothing to wait for
    const deadline = Date.now() + timeoutMs;
    if (this.behind(target, names).length > 0 && Date.now() - this.refreshedAt >= REFRESH_MS) {
      await this.refresh();
    }
    for (;;) {
      const lagging = this.behind(target, names);
      if (lagging.length === 0) return;
      const left = deadline - Date.now();
      if (left <= 0) throw new ConsistencyTimeoutError(position, timeoutMs, lagging);
      this.hurry(lagging);
      const woken = await new Promise<boolean>((resolve) => {
        const done = (commit: boolean) => {
          clearTimeout(timer);
          this.waiters.delete(onCommit);
          resolve(commit);
        };
        const onCommit = () => done(true);
        const timer = setTimeout(() => done(false), Math.min(left, REFRESH_MS));
        this.waiters.add(onCommit);
      });
      if (!woken) await this.refresh();
    }
  }

  /** Those of `names` whose known checkpoint is before `target`. */
  private behind(target: LogCheckpoint, names: readonly string[]): string[] {
    return names.filter((name) => {
      const at = this.known.get(name);
      return !at || compareCheckpoints(at, target) < 0;
    });
  }

  /** Reads every projection's checkpoint; concurrent callers share one query. */
  private refresh(): Promise<void> {
    this.refreshing ??= (async () => {
      try {
        // what was known when the read began: a commit of ours that lands while the query runs
        // may be newer than what it read
        const before = new Map(this.known);
        const { rows } = await this.pool.query<{ name: string; tx: string; pos: string }>(
          `SELECT name, transaction_id::text AS tx, global_position AS pos
             FROM subscription_checkpoints WHERE name = ANY($1)`,
          [this.names],
        );
        let moved = false;
        for (const r of rows) {
          const read = { transactionId: r.tx, position: Number(r.pos) };
          const known = this.known.get(r.name);
          const order = known ? compareCheckpoints(read, known) : 1;
          if (order === 0) continue;
          // behind a commit of ours that landed during the read: an older snapshot, not news
          if (order < 0 && known !== before.get(r.name)) continue;
          // ahead of what this process saw, or back (a reset by another process, whose rebuild
          // empties the tables): changed without a commit told here, unless it is our own
          // commit in flight (a batch another process applied meanwhile makes ours fail, and
          // that process's publisher notifies what it changed)
          if (!this.applying.has(r.name)) moved = true;
          this.known.set(r.name, read);
        }
        this.refreshedAt = Date.now();
        if (moved) this.tellUnseen();
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }
}
