import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { cardNumberReservations, chooseCardNumber } from './card-numbers';
import {
  decisionDate,
  officerData,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';

export interface ApproveMembershipInput {
  memberId: string;
  /** The card number the committee issues; generated (unique per tenant) when absent. */
  cardNumber?: string | null;
  decidedOn?: IsoDate;
}

/** Art. 19(2): the grassroots committee approves the application and issues the card. */
export class ApproveMembershipCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: ApproveMembershipInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ApproveMembershipCommand)
export class ApproveMembershipHandler implements ICommandHandler<ApproveMembershipCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: ApproveMembershipCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => {
        const officer = await officerData(
          this.store,
          this.facts,
          metadata,
          state,
          decidedOn,
          settings,
        );
        // Only a pending application gets a number: nothing is generated for a refused command.
        const card =
          state.status === 'APPLIED' && officer.actsForUnionIds.includes(state.unionId)
            ? await chooseCardNumber(this.store, this.facts, metadata.tenantId, input.cardNumber)
            : {
                cardNumber: input.cardNumber ?? '',
                cardNumberGenerated: false,
                cardNumberInUse: false,
              };
        return {
          type: 'ApproveMembership',
          metadata,
          data: { ...officer, ...card, decidedOn },
        };
      },
      alongside: cardNumberReservations,
    });
  }
}
