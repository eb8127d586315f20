import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import type { Command } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import {
  ApplyForMembershipCommand,
  ApproveMembershipCommand,
  DeclareAutomaticWithdrawalCommand,
  ExpelMemberCommand,
  RecordArrearsEducationCommand,
  RejectMembershipCommand,
  RetainMembershipCommand,
  StartInternalRetirementCommand,
  WithdrawMemberCommand,
  memberStreamId,
  type MemberOutcome,
} from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { Gender } from '../../graphql/enums';
import {
  ApplyForMembershipInput,
  ApproveMembershipInput,
  ExpelMemberInput,
  MemberDecisionInput,
  WithdrawMemberInput,
} from '../../graphql/inputs.types';
import { MemberPayload } from '../../graphql/payload.types';
import { MutationSupport, type OfficerAct } from './mutation-support';

const NAME_MAX = 100;
const CODE_MAX = 64;
const NOTE_MAX = 1000;
const REF_MAX = 200;
/** Malformed, not merely wrong: the value itself never appears in an error. */
const NATIONAL_ID = /^[0-9A-Za-z]{6,32}$/;
const PHONE = /^\+?[0-9][0-9 -]{3,30}$/;

/** What every officer decision on a member carries besides the member. */
interface Decision {
  readonly memberId: string;
  readonly note?: string;
  readonly decidedOn?: IsoDate;
}

/** Art. 19: joining, approval, withdrawal, arrears, expulsion, retirement and retention. */
@Resolver()
export class MemberMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => MemberPayload, {
    description: 'An employee applies to a grassroots union (Art. 19(1)); personal data encrypted',
  })
  async applyForMembership(
    @Context() ctx: ApiContext,
    @Args('input') input: ApplyForMembershipInput,
  ): Promise<MemberPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const unionId = check.id('unionId', input.unionId);
    const name = check.text('name', input.name, NAME_MAX);
    const gender = check.oneOf('gender', input.gender, Gender);
    const employeeNo = check.text('employeeNo', input.employeeNo, CODE_MAX);
    const nationalId = check.optionalCode('nationalId', input.nationalId, NATIONAL_ID, 32);
    const phone = check.optionalCode('phone', input.phone, PHONE, 32);
    await act.scope.union(unionId, 'write', 'applications to this union');
    const outcome = await this.support.execute(
      new ApplyForMembershipCommand(
        {
          unionId,
          name,
          gender,
          employeeNo,
          nationalId: nationalId ?? null,
          phone: phone ?? null,
          ...(input.appliedOn ? { appliedOn: input.appliedOn } : {}),
        },
        act.metadata,
      ),
    );
    return this.payload(ctx, act, outcome);
  }

  @Mutation(() => MemberPayload, {
    description: 'The committee approves; a card number is issued (Art. 19(1))',
  })
  async approveMembership(
    @Context() ctx: ApiContext,
    @Args('input') input: ApproveMembershipInput,
  ): Promise<MemberPayload> {
    return this.decide(ctx, input, (d, metadata, check) => {
      const cardNumber = check.optionalText('cardNumber', input.cardNumber, CODE_MAX);
      return new ApproveMembershipCommand({ ...d, cardNumber: cardNumber ?? null }, metadata);
    });
  }

  @Mutation(() => MemberPayload)
  async rejectMembership(
    @Context() ctx: ApiContext,
    @Args('input') input: MemberDecisionInput,
  ): Promise<MemberPayload> {
    return this.decide(ctx, input, (d, metadata) => new RejectMembershipCommand(d, metadata));
  }

  @Mutation(() => MemberPayload, {
    description: 'A member withdraws at will; the committee takes the card back (Art. 19(4))',
  })
  async withdrawMember(
    @Context() ctx: ApiContext,
    @Args('input') input: WithdrawMemberInput,
  ): Promise<MemberPayload> {
    return this.decide(
      ctx,
      input,
      (d, metadata) =>
        new WithdrawMemberCommand({ ...d, cardReturned: input.cardReturned }, metadata),
    );
  }

  @Mutation(() => MemberPayload, {
    description: 'Records the education of a member in arrears (Art. 19(4))',
  })
  async recordArrearsEducation(
    @Context() ctx: ApiContext,
    @Args('input') input: MemberDecisionInput,
  ): Promise<MemberPayload> {
    return this.decide(ctx, input, (d, metadata) => new RecordArrearsEducationCommand(d, metadata));
  }

  @Mutation(() => MemberPayload, {
    description: 'Deemed withdrawal after 6 unpaid months and education (Art. 19(4))',
  })
  async declareAutomaticWithdrawal(
    @Context() ctx: ApiContext,
    @Args('input') input: MemberDecisionInput,
  ): Promise<MemberPayload> {
    return this.decide(
      ctx,
      input,
      (d, metadata) => new DeclareAutomaticWithdrawalCommand(d, metadata),
    );
  }

  @Mutation(() => MemberPayload, {
    description: 'Only for a serious crime with a criminal sanction, by the committee (Art. 19(5))',
  })
  async expelMember(
    @Context() ctx: ApiContext,
    @Args('input') input: ExpelMemberInput,
  ): Promise<MemberPayload> {
    return this.decide(ctx, input, (d, metadata, check) => {
      const criminalSanctionRef = check.text(
        'criminalSanctionRef',
        input.criminalSanctionRef,
        REF_MAX,
      );
      const committeeDecisionRef = check.text(
        'committeeDecisionRef',
        input.committeeDecisionRef,
        REF_MAX,
      );
      const { memberId, decidedOn } = d;
      return new ExpelMemberCommand(
        {
          memberId,
          criminalSanctionRef,
          committeeDecisionRef,
          ...(decidedOn ? { decidedOn } : {}),
        },
        metadata,
      );
    });
  }

  @Mutation(() => MemberPayload, {
    description: 'Internal early retirement: membership kept, dues exempt (Art. 19(6))',
  })
  async startInternalRetirement(
    @Context() ctx: ApiContext,
    @Args('input') input: MemberDecisionInput,
  ): Promise<MemberPayload> {
    return this.decide(
      ctx,
      input,
      (d, metadata) => new StartInternalRetirementCommand(d, metadata),
    );
  }

  @Mutation(() => MemberPayload, {
    description: 'Retains membership on retirement or leaving: no dues, no vote (Art. 19(6))',
  })
  async retainMembership(
    @Context() ctx: ApiContext,
    @Args('input') input: MemberDecisionInput,
  ): Promise<MemberPayload> {
    // MemberDecisionInput carries no reason: retirement, the case Art. 19(6) names first
    return this.decide(
      ctx,
      input,
      (d, metadata) => new RetainMembershipCommand({ ...d, reason: 'RETIREMENT' }, metadata),
    );
  }

  /** An officer's decision on a member in its subtree, with the optional expectedVersion. */
  private async decide(
    ctx: ApiContext,
    input: {
      commandId?: string | null;
      memberId: string;
      decidedOn?: string | null;
      note?: string | null;
      expectedVersion?: number | null;
    },
    build: (
      decision: Decision,
      metadata: CommandMetadata,
      check: OfficerAct['check'],
    ) => Command<MemberOutcome>,
  ): Promise<MemberPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const memberId = act.check.id('memberId', input.memberId);
    const note = act.check.optionalText('note', input.note, NOTE_MAX, true);
    const decision: Decision = {
      memberId,
      ...(note === undefined ? {} : { note }),
      ...(input.decidedOn ? { decidedOn: input.decidedOn } : {}),
    };
    const command = build(decision, act.metadata, act.check);
    await act.scope.member(memberId, 'write', 'decisions on this member');
    await this.support.expectVersion(act, memberStreamId(memberId), input.expectedVersion);
    return this.payload(ctx, act, await this.support.execute(command));
  }

  private async payload(
    ctx: ApiContext,
    act: OfficerAct,
    outcome: MemberOutcome,
  ): Promise<MemberPayload> {
    const position = await this.support.settle(ctx, act.tenantId, outcome.position);
    return { member: await this.support.member(ctx, act.tenantId, outcome.memberId), position };
  }
}
