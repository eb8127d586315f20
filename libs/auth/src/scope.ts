import { withTenant } from '@app/database';
import type { Pool, QueryResultRow } from 'pg';
import { forbidden, notFound, unauthenticated } from './auth.errors';
import { hasRole, type Role, type Viewer } from './viewer';

/** read: see data; write: run mutations; audit: the audit queries. */
export type Access = 'read' | 'write' | 'audit';

const ALLOWED: Record<Access, readonly Role[]> = {
  read: ['OFFICER', 'AUDITOR'],
  write: ['OFFICER'],
  audit: ['AUDITOR', 'OFFICER'],
};

export interface ScopedUnion {
  id: string;
  path: string;
}

export interface ScopedMember {
  id: string;
  unionId: string;
  unionPath: string;
}

/**
 * Where the scope finds a union's path and a member's place. The API passes its per-request
 * DataLoaders, so the scope check and the data the resolver then shows come from one query;
 * without them the scope asks the read models itself.
 */
export interface ScopeLookups {
  unionPath(unionId: string): Promise<string | null>;
  memberPlace(memberId: string): Promise<{ unionId: string; unionPath: string } | null>;
}

/**
 * Tenant and subtree checks on the TARGET of every operation, per request (results cached): the
 * viewer's unit path must be a prefix of the target's path. Another tenant's id is simply not
 * found (row-level security hides it), so the answer is NOT_FOUND, never a hint.
 */
export class Scope {
  private unitPathPromise: Promise<string> | undefined;
  private readonly lookups: ScopeLookups;

  constructor(
    private readonly pool: Pool,
    readonly viewer: Viewer,
    lookups?: ScopeLookups,
  ) {
    this.lookups = lookups ?? this.readModelLookups();
  }

  get tenantId(): string {
    if (!this.viewer.tenantId)
      throw forbidden('this operation needs a tenant; platform administrators manage tenants only');
    return this.viewer.tenantId;
  }

  requireRole(access: Access, what: string): void {
    if (!ALLOWED[access].some((role) => hasRole(this.viewer, role))) {
      throw forbidden(`${what} needs one of the roles ${ALLOWED[access].join(', ')}`);
    }
  }

  private unionPath(unionId: string): Promise<string | null> {
    return this.lookups.unionPath(unionId);
  }

  /** One query each, in the tenant's scope, cached for the request. */
  private readModelLookups(): ScopeLookups {
    const paths = new Map<string, Promise<string | null>>();
    const read = <T extends QueryResultRow>(sql: string, id: string) =>
      withTenant(
        this.pool,
        this.tenantId,
        async (client) => (await client.query<T>(sql, [this.tenantId, id])).rows[0],
        { readOnly: true },
      );
    return {
      unionPath: (unionId) => {
        let cached = paths.get(unionId);
        if (!cached) {
          cached = read<{ path: string }>(
            'SELECT path FROM rm_unions WHERE tenant_id = $1 AND union_id = $2',
            unionId,
          ).then((row) => row?.path ?? null);
          paths.set(unionId, cached);
        }
        return cached;
      },
      memberPlace: async (memberId) => {
        const row = await read<{ union_id: string; union_path: string }>(
          'SELECT union_id, union_path FROM rm_members WHERE tenant_id = $1 AND member_id = $2',
          memberId,
        );
        return row ? { unionId: row.union_id, unionPath: row.union_path } : null;
      },
    };
  }

  /** The path every target must lie under: the viewer's unit, or the whole tenant. */
  unitPath(): Promise<string> {
    this.unitPathPromise ??= (async () => {
      if (!this.viewer.unitId) return '/';
      const path = await this.unionPath(this.viewer.unitId);
      if (!path) throw unauthenticated('the token names a unit that does not exist in its tenant');
      return path;
    })();
    return this.unitPathPromise;
  }

  async union(unionId: string, access: Access, what = 'this union'): Promise<ScopedUnion> {
    this.requireRole(access, what);
    const path = await this.unionPath(unionId);
    if (!path) throw notFound('union', unionId);
    if (!path.startsWith(await this.unitPath()))
      throw forbidden(`${what} is outside your unit's subtree`);
    return { id: unionId, path };
  }

  /** MEMBER tokens see their own record; officers and auditors members in their subtree. */
  async member(memberId: string, access: Access, what = 'this member'): Promise<ScopedMember> {
    const ownRecord =
      hasRole(this.viewer, 'MEMBER') && this.viewer.memberId === memberId && access === 'read';
    if (!ownRecord) this.requireRole(access, what);
    const row = await this.lookups.memberPlace(memberId);
    if (!row) throw notFound('member', memberId);
    if (!ownRecord && !row.unionPath.startsWith(await this.unitPath())) {
      throw forbidden(`${what} belongs to a union outside your unit's subtree`);
    }
    return { id: memberId, unionId: row.unionId, unionPath: row.unionPath };
  }

  /** Every id must be inside the subtree (both ends of a transfer, joint units…). */
  async unions(unionIds: readonly string[], access: Access, what: string): Promise<ScopedUnion[]> {
    return Promise.all(unionIds.map((id) => this.union(id, access, what)));
  }
}
