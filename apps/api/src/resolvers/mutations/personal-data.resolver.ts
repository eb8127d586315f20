import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { EraseMemberPersonalDataCommand } from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { EraseMemberPersonalDataInput } from '../../graphql/inputs.types';
import { MemberPayload } from '../../graphql/payload.types';
import { MutationSupport } from './mutation-support';

const REASON_MAX = 1000;

/** PIPL: erasure of a member's personal data by an officer of the member's subtree. */
@Resolver()
export class PersonalDataMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => MemberPayload, {
    description:
      "Destroys the member's personal data key (crypto-shredding): nationalId and phone read as null for good; history, counts and the audit chain stay. Idempotent.",
  })
  async eraseMemberPersonalData(
    @Context() ctx: ApiContext,
    @Args('input') input: EraseMemberPersonalDataInput,
  ): Promise<MemberPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const memberId = act.check.id('memberId', input.memberId);
    const reason = act.check.optionalText('reason', input.reason, REASON_MAX);
    await act.scope.member(memberId, 'write', "erasing this member's personal data");
    const outcome = await this.support.execute(
      new EraseMemberPersonalDataCommand({ memberId, reason: reason ?? null }, act.metadata),
    );
    const position = await this.support.settle(ctx, act.tenantId, outcome.position);
    return { member: await this.support.member(ctx, act.tenantId, memberId), position };
  }
}
