export interface ActorUnitsOptions {
  /** Most (tenant, user) entries kept; the least recently used goes first. Default 10,000. */
  readonly maxEntries?: number;
  /** An entry not registered again within this time is forgotten. Default one hour. */
  readonly ttlMs?: number;
  /** Milliseconds now (tests); Date.now by default. */
  readonly now?: () => number;
}

interface Entry {
  readonly unitPath: string;
  readonly expiresAt: number;
}

const PATH = /^\/(?:[^/]+\/)*$/;

/**
 * Which union subtree a user acts for as an officer, as the API learned it from a verified token.
 *
 * There is no officer registry in the event store yet: the JWT is the source of truth for an
 * officer's scope (role OFFICER with unit U: officer of U and of every union below U). The API
 * calls `register` after verifying a token and before dispatching a command for that user, and
 * checks the scope of every target itself as well; the command handlers then ask the facts ports
 * (`isOfficerOf`, `actsFor`), which answer from here. A user never registered (or whose entry has
 * expired or been evicted) is an officer of nothing, so a command fails closed.
 *
 * Per process and in memory, bounded (LRU) and expiring.
 */
export class ActorUnits {
  private readonly entries = new Map<string, Entry>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: ActorUnitsOptions = {}) {
    this.maxEntries = Math.max(1, options.maxEntries ?? 10_000);
    this.ttlMs = options.ttlMs ?? 60 * 60 * 1000;
    this.now = options.now ?? Date.now;
  }

  /**
   * `unitPath` is the materialised path of the officer's unit ('/company/unit/'), or '/' for an
   * officer of the whole tenant (a token without a unit).
   */
  register(tenantId: string, userId: string, unitPath: string): void {
    if (!PATH.test(unitPath)) throw new Error('unitPath must look like /root/…/unit/ or be /');
    const key = keyOf(tenantId, userId);
    this.entries.delete(key);
    this.entries.set(key, { unitPath, expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  /** Removes the user's entry (logout, token revoked). */
  forget(tenantId: string, userId: string): void {
    this.entries.delete(keyOf(tenantId, userId));
  }

  /** The unit path the user acts for, null when unknown or expired. */
  unitPathOf(tenantId: string, userId: string): string | null {
    const key = keyOf(tenantId, userId);
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return null;
    }
    this.entries.delete(key); // most recently used last
    this.entries.set(key, entry);
    return entry.unitPath;
  }

  /** Whether a union at `targetPath` lies in the user's unit subtree (the unit included). */
  covers(tenantId: string, userId: string, targetPath: string): boolean {
    const unit = this.unitPathOf(tenantId, userId);
    return unit !== null && targetPath.startsWith(unit);
  }

  get size(): number {
    return this.entries.size;
  }
}

const keyOf = (tenantId: string, userId: string): string => `${tenantId}\u0000${userId}`;
