import { silentLog, type LogSink } from '@app/core';
import { LeaderLock, withTransaction } from '@app/database';
import {
  DEFAULT_LINGER_MS,
  LogFollower,
  type EventStore,
  type LogCheckpoint,
  type ReadAllResult,
} from '@app/event-store';
import type { Pool } from 'pg';
import { replayTogether } from './replay-together';
import { SharedLogReader } from './shared-log-reader';
import { CheckpointWaiter } from './checkpoint-waiter';
import { CheckpointMovedError } from './runner-errors';
import { atOrBefore, cutAt, slowestDependency } from './within-dependencies';
import { applyInTransaction, moveCheckpointOnly } from './apply-in-transaction';
import { applyRebuildBatch } from './apply-rebuild-batch';
import { restoreIndexes, suspendIndexes } from './rebuild-indexes';
import { byTenant, type Projection, type TenantBatch } from './projection';

/** What a projection committed: told to listeners after the commit, never inside it. */
export interface BatchCommitted {
  readonly projection: string;
  readonly batches: readonly TenantBatch[];
}
export type BatchCommittedListener = (commit: BatchCommitted) => void;

export { ConsistencyTimeoutError } from './runner-errors';

export interface RunnerOptions {
  batchSize?: number;
  /** Batch size of `rebuild` (default 5,000; more than 10,000 takes several reads). */
  rebuildBatchSize?: number;
  /** Rebuild batches in flight at once (default DEFAULT_WINDOW of replay-together). */
  rebuildWindow?: number;
  log?: LogSink;
  /** Connection string for the leader locks (one session per projection). */
  lockUrl?: string;
  /**
   * While commits keep coming, each projection applies at most one batch per this many ms
   * (LogFollower's `lingerMs`; default DEFAULT_LINGER_MS), unless a reader waits for it
   * (`waitFor` hurries the projections it waits for, and their dependencies). 0: a batch per
   * wake, as small as the commits come.
   */
  lingerMs?: number;
}

/**
 * Feeds each projection from the gap-free log: a batch per transaction, grouped by tenant with
 * the tenant set for row-level security, checkpoint written in the same transaction with a
 * compare-and-set so two runners can never both apply a batch. One leader per projection.
 */
export class ProjectionRunner {
  private readonly followers = new Map<string, LogFollower>();
  private readonly committedListeners = new Set<BatchCommittedListener>();
  private restoring: Promise<unknown> = Promise.resolve();
  private readonly log: LogSink;
  private readonly reader: SharedLogReader;
  /** Read-your-writes: the checkpoints this process knows, and who waits on them. */
  private readonly checkpoints: CheckpointWaiter;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    readonly projections: readonly Projection[],
    private readonly options: RunnerOptions = {},
  ) {
    this.log = options.log ?? silentLog;
    this.reader = new SharedLogReader(store);
    this.checkpoints = new CheckpointWaiter(
      store,
      pool,
      projections.map((p) => p.name),
      (names) => names.forEach((name) => this.hurry(name)),
    );
    for (const projection of projections) {
      this.followers.set(
        projection.name,
        new LogFollower(store, pool, {
          name: projection.name,
          batchSize: options.batchSize ?? 5000,
          handle: (batch, from) => this.applyBatch(projection, batch, from),
          // the batch moves the checkpoint by compare-and-set, so it can stay in memory
          keepCheckpoint: true,
          lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
          read: (after, limit) => this.readFor(projection, after, limit),
          log: this.log,
          leader: options.lockUrl
            ? new LeaderLock(options.lockUrl, `projection:${projection.name}`)
            : undefined,
        }),
      );
    }
  }

  projection(name: string): Projection {
    const found = this.projections.find((p) => p.name === name);
    if (!found)
      throw new Error(
        `unknown projection ${name}; known: ${this.projections.map((p) => p.name).join(', ')}`,
      );
    return found;
  }

  /** Called after each committed batch (live subscriptions publish from here); returns the undo. */
  onBatchCommitted(listener: BatchCommittedListener): () => void {
    this.committedListeners.add(listener);
    return () => this.committedListeners.delete(listener);
  }

  /**
   * Called when read models changed without a batch commit this process told its listeners of:
   * a checkpoint read from the database moved (another projector process, a rebuild elsewhere),
   * or a projection was reset here. Returns the undo.
   */
  onUnseenChanges(listener: () => void): () => void {
    return this.checkpoints.onUnseenChanges(listener);
  }

  start(): void {
    // a rebuild killed half-way left indexes suspended: build them again beside the followers
    const tables = this.projections.flatMap((p) => p.tables);
    this.restoring = restoreIndexes(this.pool, tables).then(
      (n) => n > 0 && this.log.log(`rebuilt ${n} index(es) a stopped rebuild had suspended`),
      (error: unknown) => this.log.warn(`restoring indexes failed: ${(error as Error).message}`),
    );
    this.followers.forEach((f) => f.start());
  }

  wake(): void {
    this.reader.wake();
    this.followers.forEach((f) => f.wake());
  }

  /** A reader waits for `name`: it and what it depends on apply their next batch at once. */
  private hurry(name: string, seen = new Set<string>()): void {
    if (seen.has(name)) return;
    seen.add(name);
    this.followers.get(name)?.hurry();
    this.projection(name).dependsOn?.forEach((dep) => this.hurry(dep, seen));
  }

  async stop(): Promise<void> {
    await Promise.all([this.restoring, ...[...this.followers.values()].map((f) => f.stop())]);
  }

  /**
   * Runs every projection until it has caught up with the log (tests, CLI), dependencies first
   * (the order of `projections`). Returns events applied.
   */
  async catchUp(names: readonly string[] = this.projections.map((p) => p.name)): Promise<number> {
    let total = 0;
    for (const name of names) {
      const follower = this.followers.get(name);
      if (!follower) throw new Error(`unknown projection ${name}`);
      total += await follower.drain();
    }
    return total;
  }

  /** One batch of one projection (the CLI's rebuild loop); returns the events applied. */
  step(name: string): Promise<number> {
    const follower = this.followers.get(name);
    if (!follower) throw new Error(`unknown projection ${name}`);
    return follower.step();
  }

  /** Empties a projection's tables and resets its checkpoint, in one transaction. */
  async reset(name: string): Promise<void> {
    const projection = this.projection(name);
    await withTransaction(this.pool, async (client) => {
      if (projection.tables.length > 0)
        await client.query(`TRUNCATE ${projection.tables.join(', ')}`);
      await client.query(
        `INSERT INTO subscription_checkpoints (name) VALUES ($1)
         ON CONFLICT (name) DO UPDATE SET transaction_id = '0', global_position = 0, events_done = 0,
           failed_position = NULL, failed_reason = NULL, updated_at = now()`,
        [name],
      );
    });
    this.checkpoints.forget(name);
    // batches applied before the reset are not applied any more
    this.reader.forgetHandedOver();
    this.followers.get(name)?.forgetCheckpoint();
    this.checkpoints.tellUnseen();
  }

  /**
   * Empties the named projections and replays the log once for all of them (one reader; each
   * batch goes to every projection in its own transaction, dependencies first, the rest in
   * parallel), then drains each one so that whatever fell out of step (another runner took a
   * batch, events held back by an open transaction) catches up alone. Returns the events read.
   */
  async rebuild(
    names: readonly string[] = this.projections.map((p) => p.name),
    onProgress?: (events: number) => void,
  ): Promise<number> {
    const chosen = this.projections.filter((p) => names.includes(p.name));
    names.forEach((name) => this.projection(name)); // unknown names fail before anything is emptied
    const tables = chosen.flatMap((p) => p.tables);
    for (const projection of chosen) await this.reset(projection.name);
    await suspendIndexes(this.pool, tables);
    // each projection's rebuild applier lives for this replay only
    const appliers = new Map(chosen.map((p) => [p.name, p.rebuildApplier?.() ?? p]));
    let events: number;
    try {
      events = await replayTogether({
        store: this.store,
        projections: chosen,
        batchSize: this.options.rebuildBatchSize ?? 5000,
        window: this.options.rebuildWindow,
        apply: (projection, batch, from) =>
          applyRebuildBatch(
            this.pool,
            projection,
            appliers.get(projection.name)!,
            batch,
            from,
            names,
          ),
        onProgress,
      });
    } finally {
      // built once over the loaded rows (also after a failure: no table is left without them)
      await restoreIndexes(this.pool, tables);
    }
    await this.catchUp(chosen.map((p) => p.name));
    this.checkpoints.wakeWaiters();
    return events;
  }

  /**
   * Read-your-writes: resolves once every projection has applied the event at `position` (as
   * returned by a mutation), or throws ConsistencyTimeoutError. Checks what this process knows
   * of each projection's checkpoint: its own commits are known at once (no query), the others'
   * (another projector process, a rebuild) through one shared checkpoint read at most every
   * 25 ms for all waiters together, however many there are (CheckpointWaiter).
   */
  async waitFor(
    tenantId: string,
    position: number,
    timeoutMs = 5_000,
    /** Only these projections (a mutation payload that reads only them); default all. */
    only?: readonly string[],
  ): Promise<void> {
    if (only?.length === 0) return;
    const names = only ?? this.projections.map((p) => p.name);
    names.forEach((name) => this.projection(name)); // an unknown name is a programming error
    await this.checkpoints.waitFor(tenantId, position, timeoutMs, names);
  }

  /** A batch from `readFor` (already cut at what the dependencies applied). */
  private async applyBatch(
    projection: Projection,
    batch: ReadAllResult,
    from: LogCheckpoint,
  ): Promise<number> {
    if (batch.events.length === 0) return 0;
    const types = projection.eventTypes;
    const nothingToWrite = types !== undefined && !batch.events.some((e) => types.has(e.type));
    try {
      await this.checkpoints.committing(projection.name, batch.checkpoint, () =>
        nothingToWrite
          ? moveCheckpointOnly(this.pool, projection, batch, from)
          : applyInTransaction(this.pool, projection, batch, from),
      );
    } catch (error) {
      // another runner applied this batch first: that is progress too, read on from its
      // checkpoint. Not told as unseen: in this process it is the follower's own loop and a
      // drain meeting (nothing new), and another process's commit is seen by the next refresh
      if (error instanceof CheckpointMovedError) {
        this.followers.get(projection.name)?.forgetCheckpoint();
        return batch.events.length;
      }
      throw error;
    }
    const dependents = this.projections.filter((p) => p.dependsOn?.includes(projection.name));
    if (dependents.length > 0) {
      // the projections after this one ask for this very batch next: no second log read
      this.reader.handOver(from, batch, projection.name);
    }
    this.checkpoints.wakeWaiters();
    if (this.committedListeners.size > 0) {
      const commit = { projection: projection.name, batches: byTenant(batch.events) };
      for (const listener of this.committedListeners) {
        try {
          listener(commit);
        } catch (error) {
          this.log.warn(`batch listener failed: ${(error as Error).message}`);
        }
      }
    }
    // projections that depend on this one may now move: wake them instead of letting them sleep
    // out their poll delay (read-your-writes waits for the slowest projection)
    for (const other of dependents) this.followers.get(other.name)?.wake();
    return batch.events.length;
  }

  /**
   * A live follower's next batch. A projection with dependencies gets only what they applied: a
   * batch its only dependency applied here is handed over as it is; otherwise their checkpoint
   * is read first, and while they have not moved past this projection the log is not read at
   * all (a dependent polls while its dependency works: a one-row read, not a batch of events).
   */
  private async readFor(
    projection: Projection,
    after: LogCheckpoint,
    limit: number,
  ): Promise<ReadAllResult> {
    const deps = projection.dependsOn ?? [];
    if (deps.length === 0) return this.reader.read(after, limit);
    const handed = deps.length === 1 ? this.reader.handedOver(after, deps[0]!, limit) : undefined;
    if (handed) return handed;
    const slowest = await slowestDependency(this.pool, projection);
    if (!slowest || atOrBefore(slowest, after)) return { events: [], checkpoint: after };
    return cutAt(await this.reader.read(after, limit), slowest);
  }
}
