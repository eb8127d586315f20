import {
  Args,
  Context,
  GraphQLISODateTime,
  ID,
  Int,
  Parent,
  Query,
  ResolveField,
  Resolver,
} from '@nestjs/graphql';
import { addMonthsToPeriod, dateInZone } from '@app/core';
import { arrearsCount, pageSize, settingsOn, subordinateUnions, unionAsOf } from '@app/read-models';
import type { ApiContext } from '../context/api-context';
import { UnionLevel, UnionStatus } from '../graphql/enums';
import { CommitteeSeat, Union, UnionConnection, UnionStats } from '../graphql/union.types';
import { toUnion } from './mappers';

@Resolver(() => Union)
export class UnionResolver {
  @Query(() => Union, {
    nullable: true,
    description: 'A union now, or as the registry records it effective at `asOf`',
  })
  async union(
    @Context() ctx: ApiContext,
    @Args('id', { type: () => ID }) id: string,
    @Args('asOf', { type: () => GraphQLISODateTime, nullable: true }) asOf: Date | null,
    @Args('consistentAfter', { type: () => String, nullable: true }) consistentAfter: string | null,
  ): Promise<Union | null> {
    const scope = await ctx.scope();
    await ctx.consistentAfter(scope.tenantId, consistentAfter);
    await scope.union(id, 'read');
    if (asOf) {
      const date = dateInZone(asOf);
      const past = await ctx.read(scope.tenantId, (c) => unionAsOf(c, scope.tenantId, id, date));
      if (!past) return null;
      const { stats } = past;
      return {
        ...toUnion({
          ...past.union,
          committee: [],
          version: 0,
          stats: { ...stats, retainedMembers: 0, subtreeUnions: 0 },
        }),
        asOf: date,
      };
    }
    const view = await ctx.loaders(scope.tenantId).union.load(id);
    return view ? toUnion(view) : null;
  }

  @Query(() => UnionConnection, {
    description: 'Every union under rootId (rootId itself excluded), paged',
  })
  async subordinateUnions(
    @Context() ctx: ApiContext,
    @Args('rootId', { type: () => ID }) rootId: string,
    @Args('level', { type: () => UnionLevel, nullable: true }) level: string | null,
    @Args('status', { type: () => UnionStatus, nullable: true }) status: string | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
    @Args('consistentAfter', { type: () => String, nullable: true }) consistentAfter: string | null,
  ): Promise<UnionConnection> {
    const scope = await ctx.scope();
    await ctx.consistentAfter(scope.tenantId, consistentAfter);
    const root = await scope.union(rootId, 'read');
    const page = await ctx.read(scope.tenantId, (c) =>
      subordinateUnions(
        c,
        scope.tenantId,
        root.path,
        { level, status },
        { first: pageSize(first), after },
      ),
    );
    return {
      nodes: page.nodes.map(toUnion),
      pageInfo: { hasNextPage: page.hasNextPage, endCursor: page.endCursor },
      totalCount: page.totalCount,
    };
  }

  @ResolveField(() => [CommitteeSeat])
  async committee(@Parent() union: Union, @Context() ctx: ApiContext): Promise<CommitteeSeat[]> {
    const members = ctx.loaders(union.tenantId).member;
    return Promise.all(
      union.committeeSeats.map(async (seat) => ({
        memberId: seat.memberId,
        name: (await members.load(seat.memberId))?.name ?? '',
        roles: seat.roles,
      })),
    );
  }

  @ResolveField(() => UnionStats)
  stats(@Parent() union: Union): UnionStats {
    // arrearsMembers is resolved only when asked for (UnionStatsResolver): it is the one figure
    // computed at query time (it depends on today), the others are stored roll-ups
    return {
      ...union.statsBase,
      arrearsMembers: 0,
      owner: { tenantId: union.tenantId, unionId: union.id, asOf: union.asOf },
    };
  }

  @ResolveField(() => [Union])
  async children(@Parent() union: Union, @Context() ctx: ApiContext): Promise<Union[]> {
    if (union.asOf) return [];
    return (await ctx.loaders(union.tenantId).children.load(union.id)).map(toUnion);
  }
}

@Resolver(() => UnionStats)
export class UnionStatsResolver {
  @ResolveField(() => Int, { description: 'subtree members at or over the arrears threshold' })
  async arrearsMembers(@Parent() stats: UnionStats, @Context() ctx: ApiContext): Promise<number> {
    const { tenantId, unionId, asOf } = stats.owner;
    if (!asOf) return ctx.loaders(tenantId).arrearsCount.load(unionId);
    // arrears as they stood on that date: months up to the one before it
    const settings = await ctx.read(tenantId, (c) => settingsOn(c, tenantId, asOf));
    return arrearsCount(ctx.reader(tenantId), tenantId, unionId, {
      minMonths: settings.arrearsWithdrawalMonths,
      upToPeriod: addMonthsToPeriod(asOf.slice(0, 7), -1),
    });
  }
}
