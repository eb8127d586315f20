export type Poke = () => void;

/** The subscriptions of one union in this process, and when they were last woken. */
export class WatchedUnion {
  readonly pokes = new Set<Poke>();
  lastWake = Number.NEGATIVE_INFINITY;
  /** set while a wake-up is scheduled */
  due: number | undefined;
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
      if (union.due !== undefined) continue; // that wake-up will read this change too
      const at = union.lastWake + this.windowMs;
      if (at <= now) woken.push(union);
      else this.schedule(union, at);
    }
    this.fire(woken, now);
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

  private fire(unions: Iterable<WatchedUnion>, now: number): void {
    for (const union of unions) {
      union.due = undefined;
      union.lastWake = now;
    }
    for (const union of unions) union.pokes.forEach((poke) => poke());
  }
}
