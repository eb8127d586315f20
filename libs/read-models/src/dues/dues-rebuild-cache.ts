import type { PoolClient } from 'pg';
import type { DuesMemberRow } from './dues-fold';
import { loadDuesMembers, loadHoles, loadUnionPaths } from './dues-sql';
import { UnionPathCache } from '../facts/union-path-cache';
import type { Hole } from './dues-spans';

/** Where a batch finds the members' dues rows and holes as committed before it. */
export interface DuesMemberSource {
  members(
    client: PoolClient,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, DuesMemberRow>>;
  holes(client: PoolClient, tenantId: string, ids: readonly string[]): Promise<Map<string, Hole[]>>;
  /** The registry's paths of these unions (unknown ones absent). */
  unionPaths(
    client: PoolClient,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>>;
  /** Called once the batch's statements ran: the rows and holes it wrote. */
  remember(
    tenantId: string,
    rows: readonly DuesMemberRow[],
    holes: ReadonlyMap<string, readonly Hole[]>,
  ): void;
}

/**
 * Members beyond this many are read from the tables again (about half a KiB each: the large
 * tenant's 250,000 members fit).
 */
const MAX_MEMBERS = 300_000;

/**
 * A rebuild's dues rows and holes, kept in memory from batch to batch instead of read back: a
 * payroll month touches every member, and reading 5,000 rows back by key cost as much as writing
 * them. Holds what this replay wrote (or read once), which is what the tables hold while the
 * rebuild is their only writer; a member not held is read from the tables as live does.
 */
export class DuesRebuildCache implements DuesMemberSource {
  private readonly entries = new Map<string, { row: DuesMemberRow; holes: readonly Hole[] }>();
  /** A path is fixed when its union is established: read once per replay, not once per batch. */
  private readonly paths = new UnionPathCache();

  unionPaths(
    client: PoolClient,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, string>> {
    return this.paths.of(tenantId, ids, (missing) => loadUnionPaths(client, tenantId, missing));
  }

  async members(
    client: PoolClient,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, DuesMemberRow>> {
    const found = new Map<string, DuesMemberRow>();
    const missing: string[] = [];
    for (const id of ids) {
      const entry = this.entries.get(key(tenantId, id));
      if (entry) found.set(id, entry.row);
      else missing.push(id);
    }
    if (missing.length === 0) return found;
    const stored = await loadDuesMembers(client, tenantId, missing);
    const holes = await loadHoles(client, tenantId, [...stored.keys()]);
    for (const [id, row] of stored) {
      found.set(id, row);
      this.hold(tenantId, row, holes.get(id) ?? []);
    }
    return found;
  }

  async holes(
    client: PoolClient,
    tenantId: string,
    ids: readonly string[],
  ): Promise<Map<string, Hole[]>> {
    const found = new Map<string, Hole[]>();
    const missing: string[] = [];
    for (const id of ids) {
      const entry = this.entries.get(key(tenantId, id));
      if (!entry) missing.push(id);
      else if (entry.holes.length > 0) found.set(id, [...entry.holes]);
    }
    if (missing.length > 0)
      for (const [id, list] of await loadHoles(client, tenantId, missing)) found.set(id, list);
    return found;
  }

  remember(
    tenantId: string,
    rows: readonly DuesMemberRow[],
    holes: ReadonlyMap<string, readonly Hole[]>,
  ): void {
    for (const row of rows) {
      const held = this.entries.get(key(tenantId, row.member_id));
      // a member new to the tables has no holes but those this batch wrote
      this.hold(tenantId, row, holes.get(row.member_id) ?? held?.holes ?? []);
    }
  }

  private hold(tenantId: string, row: DuesMemberRow, holes: readonly Hole[]): void {
    const k = key(tenantId, row.member_id);
    if (this.entries.size >= MAX_MEMBERS && !this.entries.has(k)) return;
    this.entries.set(k, { row, holes });
  }
}

const key = (tenantId: string, memberId: string) => `${tenantId}\u0000${memberId}`;
