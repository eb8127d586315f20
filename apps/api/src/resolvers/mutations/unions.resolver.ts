import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import {
  ApproveUnionEstablishmentCommand,
  DissolveUnionCommand,
  EstablishUnionCommand,
  RequestUnionEstablishmentCommand,
  SetGovernanceFormCommand,
  idForCommand,
  type EstablishUnionInput as EstablishUnionData,
  type UnionOutcome,
} from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { GovernanceForm, UnionLevel } from '../../graphql/enums';
import {
  DissolveUnionInput,
  EstablishUnionInput,
  SetGovernanceFormInput,
  UnionRefInput,
} from '../../graphql/inputs.types';
import { UnionPayload } from '../../graphql/payload.types';
import { MutationSupport, type OfficerAct } from './mutation-support';

const NAME_MAX = 200;
const TEXT_MAX = 1000;
const REF_MAX = 200;
/** Joint committees join a handful of units (Art. 6); more is a malformed request. */
const JOINT_MAX = 50;

/** Art. 5, 6, 11: establishing unions, their governance form and their dissolution. */
@Resolver()
export class UnionMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => UnionPayload, {
    description: 'An officer of the parent union establishes a union directly (Art. 5)',
  })
  async establishUnion(
    @Context() ctx: ApiContext,
    @Args('input') input: EstablishUnionInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const data = await this.newUnion(act, input);
    const outcome = await this.support.execute(new EstablishUnionCommand(data, act.metadata));
    return this.payload(ctx, act, data.unionId, outcome);
  }

  @Mutation(() => UnionPayload, {
    description: 'A union asks the union one level up to approve its establishment (Art. 5)',
  })
  async requestUnionEstablishment(
    @Context() ctx: ApiContext,
    @Args('input') input: EstablishUnionInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const data = await this.newUnion(act, input);
    const outcome = await this.support.execute(
      new RequestUnionEstablishmentCommand(data, act.metadata),
    );
    return this.payload(ctx, act, data.unionId, outcome);
  }

  @Mutation(() => UnionPayload, {
    description: 'An officer of the parent approves a pending union (Art. 5)',
  })
  async approveUnionEstablishment(
    @Context() ctx: ApiContext,
    @Args('input') input: UnionRefInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const unionId = act.check.id('unionId', input.unionId);
    await act.scope.union(unionId, 'write', 'approving this union');
    const outcome = await this.support.execute(
      new ApproveUnionEstablishmentCommand({ unionId }, act.metadata),
    );
    return this.payload(ctx, act, unionId, outcome);
  }

  @Mutation(() => UnionPayload, {
    description: 'Committee, joint committee with other units, or an elected organiser (Art. 6)',
  })
  async setGovernanceForm(
    @Context() ctx: ApiContext,
    @Args('input') input: SetGovernanceFormInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check, scope } = act;
    const unionId = check.id('unionId', input.unionId);
    const form = check.oneOf('form', input.form, GovernanceForm);
    const jointWithUnionIds = input.jointWithUnionIds
      ? check.ids('jointWithUnionIds', input.jointWithUnionIds, 0, JOINT_MAX)
      : undefined;
    const organizerMemberId = check.optionalId('organizerMemberId', input.organizerMemberId);
    await scope.union(unionId, 'write', 'the governance of this union');
    // the joint units and the organiser are targets too
    if (jointWithUnionIds)
      await scope.unions(jointWithUnionIds, 'write', 'a joint committee with this union');
    if (organizerMemberId) await scope.member(organizerMemberId, 'write', 'this organiser');
    const outcome = await this.support.execute(
      new SetGovernanceFormCommand(
        {
          unionId,
          form,
          ...(jointWithUnionIds ? { jointWithUnionIds } : {}),
          ...(organizerMemberId ? { organizerMemberId } : {}),
        },
        act.metadata,
      ),
    );
    return this.payload(ctx, act, unionId, outcome);
  }

  @Mutation(() => UnionPayload, {
    description: 'Only after the administrative unit is terminated or revoked (Art. 11)',
  })
  async dissolveUnion(
    @Context() ctx: ApiContext,
    @Args('input') input: DissolveUnionInput,
  ): Promise<UnionPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const unionId = check.id('unionId', input.unionId);
    const reason = check.text('reason', input.reason, TEXT_MAX, true);
    const adminDecisionRef = check.text('adminDecisionRef', input.adminDecisionRef, REF_MAX);
    await act.scope.union(unionId, 'write', 'dissolving this union');
    const outcome = await this.support.execute(
      new DissolveUnionCommand({ unionId, reason, adminDecisionRef }, act.metadata),
    );
    return this.payload(ctx, act, unionId, outcome);
  }

  /** The new union's data; its id follows from the command id, so a replay finds the same one. */
  private async newUnion(act: OfficerAct, input: EstablishUnionInput): Promise<EstablishUnionData> {
    const { check } = act;
    const parentId = check.id('parentId', input.parentId);
    const name = check.text('name', input.name, NAME_MAX);
    const level = check.oneOf('level', input.level, UnionLevel);
    await act.scope.union(parentId, 'write', 'a union under this parent');
    return {
      unionId: idForCommand(act.metadata, undefined, 'union'),
      parentId,
      name,
      level,
      ...(input.establishedOn ? { establishedOn: input.establishedOn } : {}),
    };
  }

  private async payload(
    ctx: ApiContext,
    act: OfficerAct,
    unionId: string,
    outcome: UnionOutcome,
  ): Promise<UnionPayload> {
    const position = await this.support.settle(ctx, act.tenantId, outcome.position);
    return { union: await this.support.union(ctx, act.tenantId, unionId), position };
  }
}
