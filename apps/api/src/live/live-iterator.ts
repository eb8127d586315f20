import { isSubscribersOwn, retryDelay } from './live-read-failures';

/** What one read of a live source found: items to send, and whether more are waiting. */
export interface LiveRead<T> {
  items: T[];
  more?: boolean;
  /** Forgets this read if its items are not sent after all (their execution failed). */
  undo?: () => void;
}

export interface LiveIteratorOptions<T> {
  /** Reads what to send now (the latest state, or the next page of a stream). */
  read: () => Promise<LiveRead<T>>;
  /**
   * Coalescing window: at most one read per window. The first change after a quiet window is
   * read at once; changes inside the window wait for its end and are one read, the latest state.
   */
  windowMs: number;
  /** A change arriving while the consumer has not pulled for this long means a slow client. */
  slowAfterMs: number;
  onSlow: () => void;
  /**
   * A read failed with an error that is not the subscriber's own (a saturated pool, a database
   * error): the subscription stays open and this is called instead; it should poke the iterator
   * again after a backoff (`attempt`: failed reads in a row). Absent: the iterator backs off
   * by itself. Either way the retry reads the latest state.
   */
  retryLater?: (attempt: number) => void;
  /** Told of each failed read that will be retried (logged once per burst, counted). */
  onRetry?: (error: unknown) => void;
  /** Told of each read that succeeded (a burst of failures is over). */
  onReadOk?: () => void;
  /** What the subscriber's own permanent error (FORBIDDEN, NOT_FOUND) ends the subscription with. */
  toError?: (error: unknown) => Error;
}

/** An iterator that can be told a read of its payload failed after all (SharedExecution). */
export interface RetryableSource {
  failed(error: unknown): void;
}

/**
 * A pull-driven async iterator for one subscription. Changes only set a flag and (after the
 * window) wake the consumer; the data is read when the consumer pulls. So a client that reads
 * slowly holds at most one page in memory, never a growing queue, and one that does not pull
 * at all while changes keep coming is reported through `onSlow` (the connection then closes).
 * `return()` ends it even while it waits, unlike an async generator suspended in an await.
 */
export class LiveIterator<T> implements AsyncIterableIterator<T>, RetryableSource {
  private buffer: T[] = [];
  private dirty = false;
  private readonly ends: (() => void)[] = [];
  private closed = false;
  private waiter: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRead = 0;
  private idleSince = Date.now();
  private pulling = false;
  /** failed reads in a row */
  private attempts = 0;
  /** the subscriber's own error: the next pull ends the subscription with it */
  private failure: Error | undefined;
  /** forgets the last read (its items were not sent) */
  private undoRead: (() => void) | undefined;

  constructor(private readonly options: LiveIteratorOptions<T>) {}

  /** Unhooks a source when the subscription ends (completion or disconnect). */
  onEnd(undo: () => void): void {
    if (this.closed) undo();
    else this.ends.push(undo);
  }

  /** Something this subscription shows may have changed. */
  poke(): void {
    if (this.closed) return;
    if (!this.pulling && Date.now() - this.idleSince > this.options.slowAfterMs) {
      this.options.onSlow();
      return;
    }
    if (this.timer) return; // a read is already due, and it will see this change too
    const now = Date.now();
    const at = Math.max(now, this.lastRead + this.options.windowMs);
    if (at <= now) this.markDirty();
    else
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.markDirty();
      }, at - now);
  }

  async next(): Promise<IteratorResult<T>> {
    this.undoRead = undefined; // asked for the next one: what was returned before went out
    this.pulling = true;
    try {
      for (;;) {
        if (this.closed) return { done: true, value: undefined };
        if (this.failure) {
          const failure = this.failure;
          void this.return();
          throw failure;
        }
        if (this.buffer.length > 0) return { done: false, value: this.buffer.shift()! };
        if (this.dirty) {
          this.dirty = false;
          this.lastRead = Date.now();
          let read: LiveRead<T>;
          try {
            read = await this.options.read();
          } catch (error) {
            this.failed(error);
            continue;
          }
          this.attempts = 0;
          this.options.onReadOk?.();
          const { items, more, undo } = read;
          this.undoRead = undo;
          this.buffer.push(...items);
          if (more) this.dirty = true;
          continue;
        }
        await new Promise<void>((resolve) => {
          this.waiter = resolve;
        });
        this.waiter = undefined;
      }
    } finally {
      this.pulling = false;
      this.idleSince = Date.now();
    }
  }

  return(): Promise<IteratorResult<T>> {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.timer);
      this.buffer = [];
      this.waiter?.();
      this.ends.splice(0).forEach((undo) => undo());
    }
    return Promise.resolve({ done: true, value: undefined });
  }

  throw(error: unknown): Promise<IteratorResult<T>> {
    void this.return();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * A read (or the execution of what it read) failed. The subscriber's own error ends the
   * subscription with it (thrown from `next`); anything else is retried after a backoff, and
   * changes meanwhile are read by that retry (the latest state wins).
   */
  failed(error: unknown): void {
    if (this.closed) return;
    this.undoRead?.();
    this.undoRead = undefined;
    if (isSubscribersOwn(error)) {
      this.failure = this.options.toError?.(error) ?? (error as Error);
      this.markDirty();
      return;
    }
    this.attempts += 1;
    this.options.onRetry?.(error);
    if (this.options.retryLater) {
      this.options.retryLater(this.attempts);
      return;
    }
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.markDirty();
    }, retryDelay(this.attempts));
  }

  private markDirty(): void {
    this.dirty = true;
    this.waiter?.();
  }
}
