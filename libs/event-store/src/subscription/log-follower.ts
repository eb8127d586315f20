import { silentLog, type LogSink } from '@app/core';
import type { LeaderLock } from '@app/database';
import type { Pool } from 'pg';
import type { EventStore, LogCheckpoint, ReadAllResult } from '../event-store.port';
import { loadCheckpoint, oldestWriterAgeSeconds, recordFailure } from './checkpoints';

export interface LogFollowerOptions {
  name: string;
  batchSize?: number;
  /**
   * Applies a batch and saves the checkpoint in the same transaction. May return how many events
   * it consumed (0 = none yet, e.g. while waiting for another follower), default all of them.
   */
  handle(batch: ReadAllResult, from: LogCheckpoint): Promise<void | number>;
  log?: LogSink;
  minDelayMs?: number;
  maxDelayMs?: number;
  /** Warn when the oldest open writer holds the reader back longer than this. */
  horizonWarningSeconds?: number;
  /** Only the holder of this lock follows; the others wait and take over when it is released. */
  leader?: LeaderLock;
  /**
   * Keep the checkpoint in memory after each handled batch instead of reading it before every
   * batch. Only for a `handle` that moves the stored checkpoint by compare-and-set from `from`
   * (a stale value then fails there, and the caller calls `forgetCheckpoint`).
   */
  keepCheckpoint?: boolean;
  /** Where batches come from (default `store.readAll`): a reader shared by several followers. */
  read?: (after: LogCheckpoint, limit: number) => Promise<ReadAllResult>;
  /**
   * While busy (the last pass handled events), the pause after a pass lasts this long whatever
   * `wake` says, so that the events committed meanwhile come as one batch: fewer, larger
   * transactions under a steady stream of small commits. Only `hurry` (a reader waiting for this
   * follower) cuts it short. The first event after a quiet spell is still handled at once.
   * Default 0: every wake starts a pass.
   */
  lingerMs?: number;
}

/**
 * The `lingerMs` of the projection runner's followers and the audit sealer: long enough that a
 * steady stream of single-event commits (a write API at hundreds of requests a second) reaches
 * them as batches of several events, one transaction each instead of one per commit; short
 * enough that a dashboard sees a change within a frame of its coalescing.
 */
export const DEFAULT_LINGER_MS = 25;

/**
 * Follows the gap-free log from a stored checkpoint: reads a batch, hands it on, repeats at once
 * while there is more, otherwise sleeps with a growing delay until woken (after a local commit)
 * or the delay runs out (writes from other processes).
 */
export class LogFollower {
  private running = false;
  private wakeUp: (() => void) | undefined;
  /** Cuts the pause short even while lingering (`hurry`). */
  private hurryUp: (() => void) | undefined;
  /** Somebody waits for this follower: the next pause does not linger. */
  private hurried = false;
  private loop: Promise<void> | undefined;
  private lastHorizonCheck = 0;
  private readonly log: LogSink;
  /** The stored checkpoint as of the last handled batch (`keepCheckpoint`). */
  private kept: LogCheckpoint | undefined;
  /** Bumped by `forgetCheckpoint`: a batch in hand when it moves does not keep its checkpoint. */
  private epoch = 0;
  /** The pass running now (or done): the next one starts after it. */
  private stepping: Promise<unknown> = Promise.resolve();
  stoppedWith: Error | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly pool: Pool,
    private readonly options: LogFollowerOptions,
  ) {
    this.log = options.log ?? silentLog;
  }

  /**
   * The stored checkpoint is read again before the next batch (it was moved elsewhere: another
   * runner, a reset, a rebuild).
   */
  forgetCheckpoint(): void {
    this.kept = undefined;
    this.epoch++;
  }

  /**
   * One pass: reads and handles one batch; returns how many events it handled. Passes run one
   * at a time: the follower's loop and a `drain` (catch-up) would otherwise read and apply the
   * same batch side by side, and one of them would lose the checkpoint's compare-and-set.
   */
  step(): Promise<number> {
    const pass = this.stepping.then(() => this.pass());
    this.stepping = pass.catch(() => undefined);
    return pass;
  }

  private async pass(): Promise<number> {
    const epoch = this.epoch;
    const from = this.kept ?? (await loadCheckpoint(this.pool, this.options.name));
    const limit = this.options.batchSize ?? 2000;
    const batch = this.options.read
      ? await this.options.read(from, limit)
      : await this.store.readAll({ after: from, limit });
    if (batch.events.length === 0) {
      this.keep(epoch, from);
      return 0;
    }
    let consumed: number;
    try {
      const handled = await this.options.handle(batch, from);
      consumed = typeof handled === 'number' ? handled : batch.events.length;
    } catch (error) {
      this.forgetCheckpoint();
      const first = batch.events[0]!;
      const reason = error instanceof Error ? error.message : String(error);
      await recordFailure(this.pool, this.options.name, first.globalPosition, reason).catch(
        () => undefined,
      );
      throw error;
    }
    // what the handler consumed is a prefix of the batch (gap-free order)
    const last =
      consumed > 0 ? batch.events[Math.min(consumed, batch.events.length) - 1] : undefined;
    this.keep(
      epoch,
      consumed >= batch.events.length
        ? batch.checkpoint
        : last
          ? { transactionId: last.transactionId, position: last.globalPosition }
          : from,
    );
    return consumed;
  }

  private keep(epoch: number, checkpoint: LogCheckpoint): void {
    if (this.options.keepCheckpoint && epoch === this.epoch) this.kept = checkpoint;
  }

  /**
   * Steps until everything committed before the call is handled. An empty read is not the end
   * while committed events lie beyond the checkpoint: an open transaction is holding the gap-free
   * horizon back, so wait for it (up to `timeoutMs`). Returns the events handled.
   */
  async drain(timeoutMs = 30_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    let total = 0;
    for (;;) {
      const handled = await this.step();
      total += handled;
      if (handled > 0) continue;
      const at = await loadCheckpoint(this.pool, this.options.name);
      const { rows } = await this.pool.query<{ pending: boolean }>(
        'SELECT es_committed_after($1::xid8, $2) AS pending',
        [at.transactionId, at.position],
      );
      if (!rows[0]?.pending) return total;
      if (Date.now() > deadline) {
        throw new Error(
          `${this.options.name}: events are held back by an open transaction for over ${timeoutMs} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Something was committed: a pass soon (at once, unless lingering: see `lingerMs`). */
  wake(): void {
    this.wakeUp?.();
  }

  /** Somebody waits for what this follower applies: a pass at once, lingering or not. */
  hurry(): void {
    if (this.hurryUp) this.hurryUp();
    else this.hurried = true; // in a pass: the next one starts right after it
  }

  async stop(): Promise<void> {
    this.running = false;
    this.hurry();
    await this.loop;
    this.forgetCheckpoint();
    await this.options.leader?.release();
  }

  private async run(): Promise<void> {
    const min = this.options.minDelayMs ?? 10;
    const max = this.options.maxDelayMs ?? 500;
    let delay = min;
    while (this.running) {
      let handled = 0;
      try {
        const leading = this.options.leader ? await this.options.leader.tryAcquire() : true;
        // a follower that was not leading may have missed what the leader did meanwhile
        if (!leading) this.forgetCheckpoint();
        handled = leading ? await this.step() : 0;
      } catch (error) {
        this.forgetCheckpoint();
        this.stoppedWith = error as Error;
        this.log.error(`${this.options.name} stopped: ${(error as Error).message}`);
        // a transient database error is retried after the longest delay; a failing event stays failing
        delay = max;
      }
      if (handled >= (this.options.batchSize ?? 2000)) {
        delay = min;
        continue;
      }
      if (handled > 0) delay = min;
      else {
        delay = Math.min(max, delay * 2);
        await this.checkHorizon();
      }
      if (this.hurried && this.running) {
        // somebody asked for a pass while this one ran
        this.hurried = false;
        delay = min;
        continue;
      }
      const linger = handled > 0 ? (this.options.lingerMs ?? 0) : 0;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.max(delay, linger));
        const cut = () => {
          clearTimeout(timer);
          delay = min;
          resolve();
        };
        this.hurryUp = cut;
        this.wakeUp = linger > 0 ? undefined : cut;
      });
      this.wakeUp = undefined;
      this.hurryUp = undefined;
    }
  }

  private async checkHorizon(): Promise<void> {
    const now = Date.now();
    if (now - this.lastHorizonCheck < 5_000) return;
    this.lastHorizonCheck = now;
    const limit = this.options.horizonWarningSeconds ?? 5;
    const age = await oldestWriterAgeSeconds(this.pool).catch(() => 0);
    if (age > limit) {
      this.log.warn(
        `${this.options.name}: a writing transaction has been open ${age.toFixed(1)} s; ` +
          'events committed after it started are held back until it ends',
      );
    }
  }
}
