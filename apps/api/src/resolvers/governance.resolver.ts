import { Args, Context, ID, Query, Resolver } from '@nestjs/graphql';
import { AccessError, notFound } from '@app/auth';
import { dateInZone } from '@app/core';
import {
  complianceAlerts,
  electionById,
  transferById,
  type ComplianceAlert as ComplianceAlertView,
} from '@app/read-models';
import type { ApiContext, Language } from '../context/api-context';
import { ComplianceAlert, Election, Transfer } from '../graphql/governance.types';

/** An alert in the caller's language (queries and the live subscription). */
export function toComplianceAlert(a: ComplianceAlertView, language: Language): ComplianceAlert {
  return {
    unionId: a.unionId,
    rule: a.rule,
    article: language === 'en' ? a.article.en : a.article.zh,
    severity: a.severity,
    message: a.message[language],
  };
}

@Resolver()
export class GovernanceResolver {
  @Query(() => [ComplianceAlert], {
    description: 'Which rules a union (or its subtree) breaks today',
  })
  async complianceAlerts(
    @Context() ctx: ApiContext,
    @Args('unionId', { type: () => ID }) unionId: string,
    @Args('includeSubtree', { type: () => Boolean, nullable: true }) includeSubtree: boolean | null,
    @Args('consistentAfter', { type: () => String, nullable: true }) consistentAfter: string | null,
  ): Promise<ComplianceAlert[]> {
    const scope = await ctx.scope();
    await ctx.consistentAfter(scope.tenantId, consistentAfter);
    await scope.union(unionId, 'read', 'compliance alerts');
    const today = dateInZone(new Date());
    const alerts = await ctx.read(scope.tenantId, (c) =>
      complianceAlerts(c, scope.tenantId, unionId, {
        includeSubtree: includeSubtree ?? false,
        today,
      }),
    );
    return alerts.map((a) => toComplianceAlert(a, ctx.language));
  }

  @Query(() => Election, { nullable: true })
  async election(
    @Context() ctx: ApiContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Election | null> {
    const scope = await ctx.scope();
    scope.requireRole('read', 'elections');
    const view = await ctx.read(scope.tenantId, (c) => electionById(c, scope.tenantId, id));
    // unknown here, or another tenant's (row-level security hides it): NOT_FOUND, as for unions
    if (!view) throw notFound('election', id);
    await scope.union(view.unionId, 'read', 'this election');
    return { ...view, winners: [...view.winners] };
  }

  @Query(() => Transfer, { nullable: true })
  async transfer(
    @Context() ctx: ApiContext,
    @Args('id', { type: () => ID }) id: string,
  ): Promise<Transfer | null> {
    const scope = await ctx.scope();
    scope.requireRole('read', 'transfers');
    const view = await ctx.read(scope.tenantId, (c) => transferById(c, scope.tenantId, id));
    if (!view) throw notFound('transfer', id);
    // either end (or a handler on either side) may see it
    const ends = [view.fromUnionId, view.toUnionId, ...view.handledByUnionIds].filter(
      (u): u is string => !!u,
    );
    let lastRefusal: unknown;
    for (const unionId of ends) {
      try {
        await scope.union(unionId, 'read', 'this transfer');
        return { ...view, handledByUnionIds: [...view.handledByUnionIds] };
      } catch (error) {
        if (!(error instanceof AccessError)) throw error;
        lastRefusal = error;
      }
    }
    throw lastRefusal;
  }
}
