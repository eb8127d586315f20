import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  decisionDate,
  officerData,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';

export interface WithdrawMemberInput {
  memberId: string;
  cardReturned: boolean;
  note?: string | null;
  decidedOn?: IsoDate;
}

/** Art. 19(4), first paragraph: voluntary withdrawal; the card is returned or recorded as not returned. */
export class WithdrawMemberCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: WithdrawMemberInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(WithdrawMemberCommand)
export class WithdrawMemberHandler implements ICommandHandler<WithdrawMemberCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: WithdrawMemberCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'WithdrawMember',
        metadata,
        data: {
          ...(await officerData(this.store, this.facts, metadata, state, decidedOn, settings)),
          decidedOn,
          cardReturned: input.cardReturned,
          note: input.note ?? null,
        },
      }),
    });
  }
}
