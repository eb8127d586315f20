import { Inject } from '@nestjs/common';
import { Args, Context, GraphQLISODateTime, Int, Query, Resolver } from '@nestjs/graphql';
import { forbidden } from '@app/auth';
import { EVENT_STORE, verifyChain, type EventStore } from '@app/event-store';
import { auditTrail, pageSize, streamHistory } from '@app/read-models';
import type { ApiContext } from '../context/api-context';
import {
  AuditChainVerification,
  AuditEventConnection,
  AuditFilter,
  ReplayStep,
  Viewer,
} from '../graphql/audit.types';

@Resolver()
export class AuditResolver {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  @Query(() => Viewer)
  async me(@Context() ctx: ApiContext): Promise<Viewer> {
    const viewer = await ctx.viewer();
    return { ...viewer, roles: [...viewer.roles] };
  }

  @Query(() => AuditEventConnection, { description: 'AUDITOR (or OFFICER for its subtree)' })
  async auditTrail(
    @Context() ctx: ApiContext,
    @Args('filter', { type: () => AuditFilter }) filter: AuditFilter,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<AuditEventConnection> {
    const scope = await ctx.scope();
    scope.requireRole('audit', 'the audit trail');
    // without a union, the trail is limited to the caller's own unit subtree
    const unitPath = await scope.unitPath();
    let unionPath: string | null = unitPath === '/' ? null : unitPath;
    let includeSubtree = true;
    if (filter.unionId) {
      unionPath = (await scope.union(filter.unionId, 'audit', 'the audit trail')).path;
      includeSubtree = filter.includeSubtree ?? false;
    }
    if (filter.memberId) await scope.member(filter.memberId, 'audit', 'the audit trail');
    const page = await auditTrail(
      ctx.pool,
      scope.tenantId,
      { ...filter, unionPath, includeSubtree },
      { first: pageSize(first), after },
    );
    return {
      nodes: page.nodes,
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
    };
  }

  @Query(() => [ReplayStep], {
    description: 'The state after each event of one stream, up to a version or an instant',
  })
  async streamHistory(
    @Context() ctx: ApiContext,
    @Args('streamId') streamId: string,
    @Args('untilVersion', { type: () => Int, nullable: true }) untilVersion: number | null,
    @Args('until', { type: () => GraphQLISODateTime, nullable: true }) until: Date | null,
  ): Promise<ReplayStep[]> {
    const scope = await ctx.scope();
    scope.requireRole('audit', 'stream history');
    // the stream's aggregate must be inside the caller's subtree
    const [category, ...rest] = streamId.split('-');
    const id = rest.join('-');
    if (category === 'member') await scope.member(id, 'audit', 'stream history');
    else if (category === 'union') await scope.union(id, 'audit', 'stream history');
    else if ((await scope.unitPath()) !== '/') {
      throw forbidden('replaying this kind of stream needs a tenant-wide (root unit) role');
    }
    return streamHistory(this.store, scope.tenantId, streamId, { untilVersion, until });
  }

  @Query(() => AuditChainVerification)
  async verifyAuditChain(@Context() ctx: ApiContext): Promise<AuditChainVerification> {
    const scope = await ctx.scope();
    scope.requireRole('audit', 'chain verification');
    const report = await verifyChain(ctx.pool, scope.tenantId);
    return {
      ok: report.ok,
      checkedEvents: report.checked,
      firstBrokenSequence:
        report.firstBrokenSequence === null ? null : String(report.firstBrokenSequence),
    };
  }
}
