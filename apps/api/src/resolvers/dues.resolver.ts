import { Args, Context, ID, Int, Query, Resolver } from '@nestjs/graphql';
import { dateInZone } from '@app/core';
import { arrears, duesReport, settingsOn } from '@app/read-models';
import type { ApiContext } from '../context/api-context';
import { DuesPeriod, MemberConnection } from '../graphql/member.types';
import { lastCompletePeriod, toMember } from './mappers';

@Resolver()
export class DuesResolver {
  @Query(() => [DuesPeriod], {
    description: 'Periods are "YYYY-MM". One row per period, rolled up over the subtree.',
  })
  async duesReport(
    @Context() ctx: ApiContext,
    @Args('unionId', { type: () => ID }) unionId: string,
    @Args('fromPeriod') fromPeriod: string,
    @Args('toPeriod') toPeriod: string,
    @Args('consistentAfter', { type: () => String, nullable: true }) consistentAfter: string | null,
  ): Promise<DuesPeriod[]> {
    const scope = await ctx.scope();
    await ctx.consistentAfter(scope.tenantId, consistentAfter);
    await scope.union(unionId, 'read', 'the dues report');
    return duesReport(ctx.reader(scope.tenantId), scope.tenantId, unionId, fromPeriod, toPeriod);
  }

  @Query(() => MemberConnection, {
    description:
      "Members with at least minMonths consecutive unpaid months (default: the tenant's setting, 6)",
  })
  async arrears(
    @Context() ctx: ApiContext,
    @Args('unionId', { type: () => ID }) unionId: string,
    @Args('minMonths', { type: () => Int, nullable: true }) minMonths: number | null,
    @Args('first', { type: () => Int, nullable: true }) first: number | null,
    @Args('after', { type: () => String, nullable: true }) after: string | null,
  ): Promise<MemberConnection> {
    const scope = await ctx.scope();
    await scope.union(unionId, 'read', 'the arrears list');
    const now = new Date();
    const threshold =
      minMonths ??
      (await ctx.read(scope.tenantId, (c) => settingsOn(c, scope.tenantId, dateInZone(now))))
        .arrearsWithdrawalMonths;
    const page = await arrears(ctx.reader(scope.tenantId), scope.tenantId, unionId, {
      minMonths: threshold,
      upToPeriod: lastCompletePeriod(now),
      first: first ?? undefined,
      after,
    });
    const views = await Promise.all(
      page.nodes.map((n) => ctx.loaders(scope.tenantId).member.load(n.memberId)),
    );
    return {
      nodes: views.flatMap((v) => (v ? [toMember(v, now)] : [])),
      pageInfo: page.pageInfo,
      totalCount: page.totalCount,
    };
  }
}
