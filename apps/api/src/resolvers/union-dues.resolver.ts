import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { assertPeriod } from '@app/read-models';
import type { ApiContext } from '../context/api-context';
import { duesPeriodKey } from '../context/read-loaders';
import { DuesPeriod } from '../graphql/member.types';
import { Union } from '../graphql/union.types';

@Resolver(() => Union)
export class UnionDuesResolver {
  /** One period of the dues report on the union itself, so a live dashboard sees dues move. */
  @ResolveField(() => DuesPeriod, {
    description: 'Dues of one period ("YYYY-MM") over the subtree, as in duesReport',
  })
  async duesPeriod(
    @Parent() union: Union,
    @Context() ctx: ApiContext,
    @Args('period') period: string,
  ): Promise<DuesPeriod> {
    assertPeriod(period, 'period');
    // a page of unions (or every dashboard watching them) is one read per month
    return ctx.loaders(union.tenantId).duesPeriod.load(duesPeriodKey(union.id, period));
  }
}
