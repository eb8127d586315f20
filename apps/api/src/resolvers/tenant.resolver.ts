import { Context, Query, Resolver } from '@nestjs/graphql';
import { notFound } from '@app/auth';
import { withTenant } from '@app/database';
import { settingsStateOf } from '@app/read-models';
import type { Pool } from 'pg';
import type { ApiContext } from '../context/api-context';
import { Tenant } from '../graphql/tenant.types';

/** The tenant as provisioned (name, preset, date), from the settings read model. */
export async function tenantById(pool: Pool, tenantId: string): Promise<Tenant> {
  const state = await withTenant(pool, tenantId, (c) => settingsStateOf(c, tenantId), {
    readOnly: true,
  });
  if (state.status !== 'PROVISIONED') throw notFound('tenant', tenantId);
  return {
    id: tenantId,
    name: state.name,
    preset: state.preset,
    provisionedOn: state.provisionedOn,
  };
}

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Tenant, { description: "The caller's tenant" })
  async tenant(@Context() ctx: ApiContext): Promise<Tenant> {
    const scope = await ctx.scope();
    scope.requireRole('read', 'the tenant');
    return tenantById(ctx.pool, scope.tenantId);
  }
}
