interface Waiting<K, V> {
  readonly keys: readonly K[];
  readonly resolve: (values: V[]) => void;
  readonly reject: (error: unknown) => void;
}

/**
 * Coalesces the calls made during one turn of the event loop: the `load(group, keys)` calls of
 * a group (a tenant) made before the next `setImmediate` are answered by one
 * `fetch(group, distinctKeys)`, its values handed back to each call in the order of its own
 * keys. A busy server moves many requests through the same step in one turn (at 500 writes/s,
 * about five requests reach their stream read or their append together), and one statement for
 * five callers costs little more than one for one. Nothing is cached: every call is answered by a
 * fetch made after it was asked, so a read is never staler than a read of its own. A failed fetch
 * fails the calls of that batch, and only those (a fetch that must fail keys one by one returns
 * the errors as values: AppendBatches).
 */
export class TickBatcher<K, V> {
  private readonly pending = new Map<string, Waiting<K, V>[]>();

  /** `fetch` answers `keys` (distinct) with one value each, in their order. */
  constructor(private readonly fetch: (group: string, keys: K[]) => Promise<V[]>) {}

  load(group: string, keys: readonly K[]): Promise<V[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return new Promise<V[]>((resolve, reject) => {
      const waiting = this.pending.get(group);
      if (waiting) {
        waiting.push({ keys, resolve, reject });
        return;
      }
      this.pending.set(group, [{ keys, resolve, reject }]);
      setImmediate(() => void this.flush(group));
    });
  }

  private async flush(group: string): Promise<void> {
    const waiting = this.pending.get(group) ?? [];
    this.pending.delete(group);
    const distinct = [...new Set(waiting.flatMap((w) => w.keys))];
    try {
      const values = await this.fetch(group, distinct);
      const byKey = new Map(distinct.map((key, i) => [key, values[i] as V]));
      for (const w of waiting) w.resolve(w.keys.map((key) => byKey.get(key) as V));
    } catch (error) {
      for (const w of waiting) w.reject(error);
    }
  }
}
