import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';

const logger = new Logger('Live');

/** What one read of a live source found: items to send, and whether more are waiting. */
export interface LiveRead<T> {
  items: T[];
  more?: boolean;
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
}

/**
 * A pull-driven async iterator for one subscription. Changes only set a flag and (after the
 * window) wake the consumer; the data is read when the consumer pulls. So a client that reads
 * slowly holds at most one page in memory, never a growing queue, and one that does not pull
 * at all while changes keep coming is reported through `onSlow` (the connection then closes).
 * `return()` ends it even while it waits, unlike an async generator suspended in an await.
 */
export class LiveIterator<T> implements AsyncIterableIterator<T> {
  private buffer: T[] = [];
  private dirty = false;
  private readonly ends: (() => void)[] = [];
  private closed = false;
  private waiter: (() => void) | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRead = 0;
  private idleSince = Date.now();
  private pulling = false;

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
    this.pulling = true;
    try {
      for (;;) {
        if (this.closed) return { done: true, value: undefined };
        if (this.buffer.length > 0) return { done: false, value: this.buffer.shift()! };
        if (this.dirty) {
          this.dirty = false;
          this.lastRead = Date.now();
          const { items, more } = await this.readSafely();
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

  /** A failed read ends the subscription with a reference, never the database's message. */
  private async readSafely(): Promise<LiveRead<T>> {
    try {
      return await this.options.read();
    } catch (error) {
      const reference = randomUUID();
      // class and code only: a database message can quote data
      const coded = error as { name?: string; code?: unknown };
      const code = typeof coded.code === 'string' ? ` ${coded.code}` : '';
      logger.error(`${reference} live read failed: ${coded.name ?? 'Error'}${code}`);
      throw new Error(`live update failed; reference ${reference}`, { cause: error });
    }
  }

  private markDirty(): void {
    this.dirty = true;
    this.waiter?.();
  }
}
