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

export interface StartInternalRetirementInput {
  memberId: string;
  note?: string | null;
  decidedOn?: IsoDate;
}

/** Art. 19(6): internal early retirement keeps membership; dues become exempt. */
export class StartInternalRetirementCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: StartInternalRetirementInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(StartInternalRetirementCommand)
export class StartInternalRetirementHandler implements ICommandHandler<StartInternalRetirementCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: StartInternalRetirementCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'StartInternalRetirement',
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
