import { randomUUID } from 'node:crypto';
import { type JwtVerifier, Scope, type Viewer } from '@app/auth';
import { readAs, TenantSession, type ReadSource } from '@app/database';
import { addMonthsToPeriod, dateInZone } from '@app/core';
import {
  arrearsCounts,
  settingsOn,
  childrenOf,
  membersByIds,
  unionsByIds,
  type MemberView,
  type ProjectionRunner,
  type UnionView,
} from '@app/read-models';
import DataLoader from 'dataloader';
import type { Request } from 'express';
import type { Pool, PoolClient } from 'pg';
import { requestIdsOf } from '../logging/request-ids';
import type { LiveConnection } from '../live/live-connection';

export type Language = 'en' | 'zh';

/** `Accept-Language`: English when asked for first, Simplified Chinese otherwise (the default). */
export function languageOf(header: string | undefined): Language {
  return header?.trim().toLowerCase().startsWith('en') ? 'en' : 'zh';
}

/**
 * Everything a request needs, built once per request: who asks (verified lazily, so queries that
 * need no login work without a token), the scope checker, per-request DataLoaders (one query per
 * field per level instead of one per row), the language and a correlation id for the logs.
 */
export class ApiContext {
  /** From the request (see logging/request-ids.ts); events carry both in their metadata. */
  readonly correlationId: string;
  readonly requestId: string;
  readonly language: Language;
  private viewerPromise: Promise<Viewer> | undefined;
  private scopePromise: Promise<Scope> | undefined;
  private loaderSet: ReturnType<ApiContext['createLoaders']> | undefined;
  private session: TenantSession | undefined;
  /**
   * Set once the operation is known to be a query: its reads then share one READ ONLY
   * transaction (TenantSession). A mutation's reads do not: they must see what the command
   * wrote, and a connection held open across the command and its wait for the projections
   * would starve the pool.
   */
  private sharedReads = false;

  constructor(
    readonly req: Request | undefined,
    private readonly verifier: JwtVerifier,
    readonly pool: Pool,
    readonly runner: ProjectionRunner,
    private readonly connectionAuthorization?: string,
    /** set for operations over WebSocket (subscriptions) */
    readonly live?: LiveConnection,
  ) {
    this.language = languageOf(req?.headers['accept-language']);
    const ids = req ? requestIdsOf(req) : { requestId: randomUUID(), correlationId: undefined };
    this.requestId = ids.requestId;
    this.correlationId = ids.correlationId ?? ids.requestId;
  }

  viewer(): Promise<Viewer> {
    this.viewerPromise ??= this.verifier.verify(
      this.connectionAuthorization ?? this.req?.headers.authorization,
    );
    return this.viewerPromise;
  }

  scope(): Promise<Scope> {
    this.scopePromise ??= this.viewer().then((viewer) => {
      if (!viewer.tenantId) return new Scope(this.pool, viewer);
      // the scope check reads through the same DataLoaders as the resolvers: one query per row
      const loaders = this.loaders(viewer.tenantId);
      return new Scope(this.pool, viewer, {
        unionPath: async (id) => (await loaders.union.load(id))?.path ?? null,
        memberPlace: async (id) => {
          const member = await loaders.member.load(id);
          return member ? { unionId: member.unionId, unionPath: member.unionPath } : null;
        },
      });
    });
    return this.scopePromise;
  }

  /** Called when the operation type is known (see the request-session plugin). */
  shareReads(): void {
    this.sharedReads = true;
  }

  /** Where this request's reads go: the request's shared transaction for queries, else the pool. */
  reader(tenantId: string): ReadSource {
    if (!this.sharedReads) return this.pool;
    // one viewer, one tenant: readAs refuses a session asked for another tenant
    this.session ??= new TenantSession(this.pool, tenantId);
    return this.session;
  }

  /** Read-only work in the tenant's scope (the request's shared transaction when there is one). */
  read<T>(tenantId: string, work: (client: PoolClient) => Promise<T>): Promise<T> {
    return readAs(this.reader(tenantId), tenantId, work);
  }

  /** Ends the request's shared transaction, if one was opened; later reads open their own. */
  async close(): Promise<void> {
    this.sharedReads = false;
    await this.session?.close();
  }

  /** Read-your-writes: waits until every projection has applied `position` (from a mutation). */
  async consistentAfter(tenantId: string, position: string | null | undefined): Promise<void> {
    if (position === null || position === undefined || position === '') return;
    const value = Number(position);
    if (!Number.isSafeInteger(value) || value < 0) {
      throw Object.assign(new Error('consistentAfter must be a position returned by a mutation'), {
        code: 'BAD_CONSISTENCY_POSITION',
      });
    }
    await this.runner.waitFor(tenantId, value, 5_000);
  }

  /**
   * A subscription's context lives as long as the subscription: before each message its
   * DataLoaders start empty, so the message shows the data as it is now.
   */
  freshReads(): void {
    this.loaderSet = undefined;
  }

  loaders(tenantId: string) {
    this.loaderSet ??= this.createLoaders(tenantId);
    return this.loaderSet;
  }

  private createLoaders(tenantId: string) {
    const read = <T>(work: (client: PoolClient) => Promise<T>) => this.read(tenantId, work);
    return {
      union: new DataLoader<string, UnionView | null>((ids) =>
        read((c) => unionsByIds(c, tenantId, ids)),
      ),
      children: new DataLoader<string, UnionView[]>((ids) =>
        read((c) => childrenOf(c, tenantId, ids)),
      ),
      member: new DataLoader<string, MemberView | null>((ids) =>
        read((c) => membersByIds(c, tenantId, ids)),
      ),
      /** members at or over the tenant's arrears threshold in each union's subtree, today */
      arrearsCount: new DataLoader<string, number>(async (ids) => {
        const today = dateInZone(new Date());
        const settings = await read((c) => settingsOn(c, tenantId, today));
        const counts = await arrearsCounts(this.reader(tenantId), tenantId, ids, {
          minMonths: settings.arrearsWithdrawalMonths,
          upToPeriod: addMonthsToPeriod(today.slice(0, 7), -1),
        });
        return ids.map((id) => counts.get(id) ?? 0);
      }),
    };
  }
}
