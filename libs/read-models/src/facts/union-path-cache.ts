/**
 * Paths of unions already read, per tenant. A union's materialised path is fixed when it is
 * established (its ancestors never change; a rebuild writes the same path again), so a path once
 * read stays true; an id not found is not remembered (the union may be established later).
 * Bounded: the least recently used entries go first.
 */
export class UnionPathCache {
  private readonly entries = new Map<string, string>();

  constructor(private readonly maxEntries = 20_000) {}

  /** The paths of `ids` (unknown ones absent), reading only those not remembered. */
  async of(
    tenantId: string,
    ids: readonly string[],
    read: (missing: string[]) => Promise<ReadonlyMap<string, string>>,
  ): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const missing: string[] = [];
    for (const id of ids) {
      const key = `${tenantId}\u0000${id}`;
      const path = this.entries.get(key);
      if (path === undefined) {
        missing.push(id);
        continue;
      }
      this.entries.delete(key); // most recently used last
      this.entries.set(key, path);
      found.set(id, path);
    }
    if (missing.length === 0) return found;
    for (const [id, path] of await read(missing)) {
      found.set(id, path);
      this.entries.set(`${tenantId}\u0000${id}`, path);
    }
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
    return found;
  }

  get size(): number {
    return this.entries.size;
  }
}
