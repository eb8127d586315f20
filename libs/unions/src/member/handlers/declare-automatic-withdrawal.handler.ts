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

export interface DeclareAutomaticWithdrawalInput {
  memberId: string;
  note?: string | null;
  decidedOn?: IsoDate;
}

/** Art. 19(4): deemed withdrawn, declared by an officer after the education; never automatic. */
export class DeclareAutomaticWithdrawalCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: DeclareAutomaticWithdrawalInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(DeclareAutomaticWithdrawalCommand)
export class DeclareAutomaticWithdrawalHandler implements ICommandHandler<DeclareAutomaticWithdrawalCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: DeclareAutomaticWithdrawalCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'DeclareAutomaticWithdrawal',
        metadata,
        data: {
          ...(await officerData(this.store, this.facts, metadata, state, decidedOn, settings)),
          decidedOn,
          note: input.note ?? null,
        },
      }),
    });
  }
}
