export type Poke = () => void;

/** The subscriptions of one union in this process, and when they were last woken. */
export class WatchedUnion {
  readonly pokes = new Set<Poke>();
  lastWake = Number.NEGATIVE_INFINITY;
  /** set while a wake-up is scheduled */
  due: number | undefined;
  /** a change came since the last wake-up: the next one wakes every subscription */
  changed = false;
  /** subscriptions whose read failed: a retry wakes these (and everyone if a change came) */
  readonly retrying = new Set<Poke>();
}

/**
 * Coalescing per union for the whole process: every subscription of a union is woken at most once
 * per window, all at the same moment; the first change after a quiet window wakes them at once,
 * changes inside the window wake them once at its end. Subscribers woken together read together,
 * so the first one's read (LiveReadCache) serves the others, and unions changed by one
 * notification stay on one schedule (one timer per due time), so they are read in one batch.
 */
export class UnionWakes {
  private readonly due = new Map<number, { timer: NodeJS.Timeout; unions: Set<WatchedUnion> }>();

  constructor(private readonly windowMs: number) {}

  wake(unions: Iterable<WatchedUnion>): void {
    const now = Date.now();
    const woken: WatchedUnion[] = [];
    for (const union of unions) {
      union.changed = true;
      const at = union.lastWake + this.windowMs;
      if (union.due !== undefined) {
        // that wake-up will read this change too; a retry backing off further is brought forward
        if (union.due > Math.max(at, now)) this.unschedule(union);
        else continue;
      }
      if (at <= now) woken.push(union);
      else this.schedule(union, at);
    }
    this.fire(woken, now);
  }

  /**
   * A subscription's read failed: it is woken again after `delayMs`, never sooner than a window
   * after the union's last wake-up (so a retry keeps the one-message-per-window rule). The
   * subscriptions that failed together (one shared read) are retried together.
   */
  retry(union: WatchedUnion, poke: Poke, delayMs: number): void {
    union.retrying.add(poke);
    if (union.due !== undefined) return; // the wake-up due will read again
    this.schedule(union, Math.max(Date.now() + delayMs, union.lastWake + this.windowMs));
  }

  /** Wake-ups still scheduled (tests). */
  pending(): number {
    return this.due.size;
  }

  stop(): void {
    this.due.forEach(({ timer }) => clearTimeout(timer));
    this.due.clear();
  }

  private schedule(union: WatchedUnion, at: number): void {
    union.due = at;
    let slot = this.due.get(at);
    if (!slot) {
      const timer = setTimeout(() => {
        this.due.delete(at);
        this.fire(slot!.unions, Date.now());
      }, at - Date.now());
      this.due.set(at, (slot = { timer, unions: new Set() }));
    }
    slot.unions.add(union);
  }

  private unschedule(union: WatchedUnion): void {
    const slot = union.due === undefined ? undefined : this.due.get(union.due);
    if (slot) {
      slot.unions.delete(union);
      if (slot.unions.size === 0) {
        clearTimeout(slot.timer);
        this.due.delete(union.due!);
      }
    }
    union.due = undefined;
  }

  private fire(unions: Iterable<WatchedUnion>, now: number): void {
    const woken: Poke[][] = [];
    for (const union of unions) {
      union.due = undefined;
      union.lastWake = now;
      // without a change since the last wake-up, only the failed reads are read again
      woken.push([...(union.changed ? union.pokes : union.retrying)]);
      union.changed = false;
      union.retrying.clear();
    }
    for (const pokes of woken) pokes.forEach((poke) => poke());
  }
}
