import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { MemberGender } from '../member.state';
import {
  decisionDate,
  grassrootsUnionFacts,
  idForCommand,
  membershipRulesOn,
  protectPersonalValue,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';
import { PERSONAL_DATA_PROTECTOR, type PersonalDataProtector } from './personal-data.port';

export interface ApplyForMembershipInput {
  /** Given by the caller, or derived from the command id (a retry addresses the same member). */
  memberId?: string;
  unionId: string;
  name: string;
  gender: MemberGender;
  employeeNo: string;
  /** Plaintext; encrypted by the handler before it reaches the decider. Never logged. */
  nationalId?: string | null;
  phone?: string | null;
  appliedOn?: IsoDate;
}

/** Art. 19(1)(2): an employee applies to a grassroots union. */
export class ApplyForMembershipCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: ApplyForMembershipInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ApplyForMembershipCommand)
export class ApplyForMembershipHandler implements ICommandHandler<ApplyForMembershipCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  execute({ input, metadata }: ApplyForMembershipCommand): Promise<MemberOutcome> {
    const { tenantId } = metadata;
    const memberId = idForCommand(metadata, input.memberId, 'member');
    const appliedOn = decisionDate(metadata, input.appliedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId,
      build: async () => {
        const [rules, union, employeeNoInUse, nationalId, phone] = await Promise.all([
          membershipRulesOn(this.store, tenantId, appliedOn),
          grassrootsUnionFacts(this.facts, tenantId, input.unionId),
          this.facts.employeeNoInUse(tenantId, String(input.employeeNo).trim(), memberId),
          protectPersonalValue(this.protector, tenantId, memberId, input.nationalId),
          protectPersonalValue(this.protector, tenantId, memberId, input.phone),
        ]);
        return {
          type: 'ApplyForMembership',
          metadata,
          data: {
            rules,
            memberId,
            union,
            name: input.name,
            gender: input.gender,
            employeeNo: input.employeeNo,
            nationalId,
            phone,
            appliedOn,
            employeeNoInUse,
          },
        };
      },
    });
  }
}
