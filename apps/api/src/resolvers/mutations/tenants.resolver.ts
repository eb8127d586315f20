import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { forbidden, hasRole, notFound } from '@app/auth';
import type { CommandMetadata } from '@app/core';
import { withTenant } from '@app/database';
import { unionsByIds } from '@app/read-models';
import { ProvisionTenantCommand, idForCommand } from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { RulePreset } from '../../graphql/enums';
import { ProvisionTenantInput } from '../../graphql/inputs.types';
import { ProvisionTenantPayload } from '../../graphql/payload.types';
import { toUnion } from '../mappers';
import { tenantById } from '../tenant.resolver';
import { InputCheck } from './input-check';
import { MutationSupport } from './mutation-support';

/** Tenant ids travel in tokens and logs: plain letters, digits, '.', '_' and '-'. */
const TENANT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const NAME_MAX = 200;

/** PLATFORM_ADMIN: new tenants, each with its rule settings and its COMPANY union. */
@Resolver()
export class TenantMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => ProvisionTenantPayload, {
    description: 'PLATFORM_ADMIN only: the tenant, its rule settings and its COMPANY union',
  })
  async provisionTenant(
    @Context() ctx: ApiContext,
    @Args('input') input: ProvisionTenantInput,
  ): Promise<ProvisionTenantPayload> {
    const viewer = await ctx.viewer();
    if (!hasRole(viewer, 'PLATFORM_ADMIN'))
      throw forbidden('provisioning a tenant needs the role PLATFORM_ADMIN');
    const check = new InputCheck(ctx.language);
    const commandId = check.optionalId('commandId', input.commandId);
    const tenantId = check.id('tenantId', input.tenantId);
    if (!TENANT_ID.test(tenantId))
      check.fail(
        'tenantId',
        'must be 1-100 letters, digits, ".", "_" or "-"',
        '须为 1 至 100 个字母、数字、"."、"_" 或 "-"',
      );
    const name = check.text('name', input.name, NAME_MAX);
    const rootUnionName = check.text('rootUnionName', input.rootUnionName, NAME_MAX);
    const preset = input.preset ? check.oneOf('preset', input.preset, RulePreset) : undefined;
    const metadata: CommandMetadata = {
      tenantId,
      actor: viewer.userId,
      now: new Date(),
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
      ...(commandId === undefined ? {} : { commandId }),
    };
    // follows from the command id: a replay addresses the same company union
    const rootUnionId = idForCommand(metadata, undefined, 'company-union');
    const outcome = await this.support.execute(
      new ProvisionTenantCommand(
        { name, rootUnionId, rootUnionName, ...(preset ? { preset } : {}) },
        metadata,
      ),
    );
    const position = await this.support.settle(ctx, tenantId, outcome.position);
    const [root] = await withTenant(
      ctx.pool,
      tenantId,
      (c) => unionsByIds(c, tenantId, [rootUnionId]),
      { readOnly: true },
    );
    if (!root) throw notFound('union', rootUnionId);
    return {
      tenantId,
      tenant: await tenantById(ctx.pool, tenantId),
      rootUnion: toUnion(root),
      position,
    };
  }
}
