/** When an answer was computed: its tenant's generation, the global epoch and the time. */
export interface CacheStamp {
  readonly tenantId: string;
  readonly generation: number;
  readonly epoch: number;
  readonly atMs: number;
}

interface Entry {
  readonly stamp: CacheStamp;
  readonly body: string;
  readonly bytes: number;
  /** From then on, the first asker recomputes it while the others are still served this one. */
  readonly refreshAtMs: number;
}

/**
 * An answer is recomputed ahead of its maximum age, at a random point between REFRESH_FROM and
 * the whole of it: answers computed together (after a commit emptied the tenant's, or at start)
 * would otherwise all expire in the same instant, and their recomputation would stall every
 * request behind it on the one event loop (the bench's p99).
 */
const REFRESH_FROM = 0.7;

/** Bookkeeping per entry besides its key and body (the Map slot, the stamp object). */
const ENTRY_OVERHEAD_BYTES = 200;

/**
 * Answers of read-only queries, by a key that names everything the answer depends on (see
 * response-cache.fast-path.ts). An answer is served again only while nothing of its tenant has
 * committed since it was computed: every projection commit of a tenant (this process's runner,
 * another process's through LISTEN) moves the tenant's generation, and anything that may have
 * missed a commit (a lost LISTEN connection, checkpoints moved by another process) moves the
 * global epoch. The stamp is taken before the query reads anything, so a commit that races with
 * the reads makes the answer stale rather than wrongly fresh. Bounded by bytes, least recently
 * used first; `maxAgeMs` bounds what depends on the clock (today's arrears).
 */
export class ResponseCache {
  private readonly generations = new Map<string, number>();
  private epoch = 0;
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;
  /** Answers being computed now, so that concurrent askers wait for one instead of each running it. */
  private readonly computing = new Map<
    string,
    { stamp: CacheStamp; answer: Promise<string | undefined> }
  >();

  constructor(
    readonly maxAgeMs: number,
    private readonly maxBytes: number,
    private readonly now: () => number = Date.now,
    private readonly random: () => number = Math.random,
  ) {}

  get enabled(): boolean {
    return this.maxAgeMs > 0;
  }

  /** Taken before a query reads anything. */
  stamp(tenantId: string): CacheStamp {
    return {
      tenantId,
      generation: this.generations.get(tenantId) ?? 0,
      epoch: this.epoch,
      atMs: this.now(),
    };
  }

  /**
   * The stored answer, if it is still current; undefined too for the one asker that is to refresh
   * it (past its refresh point, and nobody computing it yet: see REFRESH_FROM).
   */
  get(key: string): string | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (!this.current(entry.stamp)) {
      this.drop(key, entry);
      return undefined;
    }
    if (this.now() >= entry.refreshAtMs && this.computingNow(key) === undefined) return undefined;
    // least recently used goes first: move it to the end
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.body;
  }

  /** Keeps an answer computed from `stamp`, unless something committed meanwhile. */
  set(key: string, stamp: CacheStamp, body: string): void {
    if (!this.enabled || !this.current(stamp)) return;
    const bytes = 2 * (key.length + body.length) + ENTRY_OVERHEAD_BYTES;
    if (bytes > this.maxBytes / 4) return; // one huge page must not flush everything else
    const old = this.entries.get(key);
    if (old) this.drop(key, old);
    const refreshAtMs =
      stamp.atMs + this.maxAgeMs * (REFRESH_FROM + (1 - REFRESH_FROM) * this.random());
    this.entries.set(key, { stamp, body, bytes, refreshAtMs });
    this.bytes += bytes;
    for (const [oldest, entry] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.drop(oldest, entry);
    }
  }

  /** The answer for `key` being computed from a current stamp, to wait for instead of computing. */
  computingNow(key: string): Promise<string | undefined> | undefined {
    const computing = this.computing.get(key);
    return computing && this.current(computing.stamp) ? computing.answer : undefined;
  }

  /**
   * Marks `key` as being computed from `stamp`; the function returned settles it, with the body
   * to keep or undefined (an error, a dropped request). Waiters get the body only if it is still
   * current then. Settling twice does nothing.
   */
  begin(key: string, stamp: CacheStamp): (body: string | undefined) => void {
    let resolve: (body: string | undefined) => void = () => undefined;
    const computing = {
      stamp,
      answer: new Promise<string | undefined>((r) => (resolve = r)),
    };
    this.computing.set(key, computing);
    let settled = false;
    return (body) => {
      if (settled) return;
      settled = true;
      if (this.computing.get(key) === computing) this.computing.delete(key);
      if (body !== undefined) this.set(key, stamp, body);
      resolve(body !== undefined && this.current(stamp) ? body : undefined);
    };
  }

  /** Something of this tenant committed: its answers so far are stale. */
  invalidate(tenantId: string): void {
    this.generations.set(tenantId, (this.generations.get(tenantId) ?? 0) + 1);
  }

  /** Commits may have been missed: every answer so far is stale. */
  invalidateAll(): void {
    this.epoch += 1;
  }

  /** Entries and bytes held (tests, metrics). */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private current(stamp: CacheStamp): boolean {
    return (
      stamp.epoch === this.epoch &&
      stamp.generation === (this.generations.get(stamp.tenantId) ?? 0) &&
      this.now() - stamp.atMs < this.maxAgeMs
    );
  }

  private drop(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
