import { Args, Context, GraphQLISODateTime, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { dateInZone } from '@app/core';
import { membersByIds, pageSize, roster, rosterAsOf } from '@app/read-models';
import type { ApiContext } from '../context/api-context';
import { MemberStatus } from '../graphql/enums';
import { Member, MemberConnection } from '../graphql/member.types';
import { toMember } from './mappers';

@Resolver(() => Member)
export class MemberResolver {
  @Query(() => Member, { nullable: true })
  async member(
    @Context() ctx: ApiContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf: Date | null,
    @Args('consistentAfter', { type: () => String, nullable: true }) consistentAfter: string | null,
  ): Promise<Member | null> {
    const scope = await ctx.scope();
    await ctx.consistentAfter(scope.tenantId, consistentAfter);
    await scope.member(id, 'read');
    const view = await ctx.loaders(scope.tenantId).member.load(id);
    if (!view) return null;
    const member = toMember(view, new Date());
    if (!asOf) return member;
    // status and union as recorded effective at that instant (business time)
    const date = dateInZone(asOf);
    const past = await ctx.read(
      scope.tenantId,
      async (c) =>
        (
          await c.query<{ status: string; union_id: string }>(
            `SELECT status, union_id FROM rm_member_history
              WHERE tenant_id = $1 AND member_id = $2 AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)
              ORDER BY position DESC LIMIT 1`,
            [scope.tenantId, id, date],
          )
        ).rows[0],
    );
    return past ? { ...member, status: past.status, unionId: past.union_id } : null;
  }

  @Query(() => MemberConnection)
  async members(
    @Context() ctx: ApiContext,
    @Args('unionId', { type: () => ID }) unionId: string,
    @Args('includeSubtree', { type: () => Boolean, nullable: true }) includeSubtree: boolean | null,
    @Args('status', { type: () => MemberStatus, nullable: true }) status: string | null,
    @Args('search', { type: () => String, nullable: true }) search: string | null,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf: Date | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('consistentAfter', { type: () => String, nullable: true }) consistentAfter: string | null,
  ): Promise<MemberConnection> {
    const scope = await ctx.scope();
    await ctx.consistentAfter(scope.tenantId, consistentAfter);
    const union = await scope.union(unionId, 'read', 'the roster');
    const filter = { unionId, unionPath: union.path, includeSubtree, status, search };
    const size = pageSize(first);
    const now = new Date();
    if (asOf) {
      const page = await ctx.read(scope.tenantId, (c) =>
        rosterAsOf(c, scope.tenantId, filter, dateInZone(asOf), { first: size, after }),
      );
      const views = await ctx.read(scope.tenantId, (c) =>
        membersByIds(
          c,
          scope.tenantId,
          page.nodes.map((n) => n.memberId),
        ),
      );
      const nodes = page.nodes.flatMap((n, i) => {
        const view = views[i];
        return view ? [{ ...toMember(view, now), status: n.status, unionId: n.unionId }] : [];
      });
      return {
        nodes,
        pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
        totalCount: nodes.length,
      };
    }
    const page = await ctx.read(scope.tenantId, (c) =>
      roster(c, scope.tenantId, filter, { first: size, after }),
    );
    return {
      nodes: page.nodes.map((v) => toMember(v, now)),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }
}
