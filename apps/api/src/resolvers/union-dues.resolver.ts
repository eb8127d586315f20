import { Args, Context, Parent, ResolveField, Resolver } from '@nestjs/graphql';
import { duesReport } from '@app/read-models';
import type { ApiContext } from '../context/api-context';
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
    const [row] = await duesReport(ctx.pool, union.tenantId, union.id, period, period);
    return row ?? { period, expectedFen: 0, paidFen: 0, payingMembers: 0, unpaidMembers: 0 };
  }
}
