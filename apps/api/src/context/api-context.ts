import { randomUUID } from 'node:crypto';
import { type JwtVerifier, Scope, type Viewer } from '@app/auth';
import { readAs, TenantSession, type ReadSource } from '@app/database';
import type { ProjectionRunner } from '@app/read-models';
import type { Request } from 'express';
import type { Pool, PoolClient } from 'pg';
import { requestIdsOf } from '../logging/request-ids';
import type { LiveConnection } from '../live/live-connection';
import { createReadLoaders, type ReadLoaders } from './read-loaders';

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
  private loaderSet: ReadLoaders | undefined;
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
   * A subscription's context lives as long as the subscription: before each message it reads
   * through the loaders its process shares for the tenant (LiveReadCache), which drop what a
   * change notification names, so the message shows the data as it is now.
   */
  readThrough(loaders: ReadLoaders): void {
    this.loaderSet = loaders;
  }

  loaders(tenantId: string): ReadLoaders {
    this.loaderSet ??= createReadLoaders(tenantId, () => this.reader(tenantId));
    return this.loaderSet;
  }
}
