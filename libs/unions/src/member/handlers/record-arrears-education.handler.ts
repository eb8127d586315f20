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

export interface RecordArrearsEducationInput {
  memberId: string;
  note?: string | null;
  decidedOn?: IsoDate;
}

/** Art. 19(4), second paragraph: an officer records the education of an arrears candidate. */
export class RecordArrearsEducationCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: RecordArrearsEducationInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RecordArrearsEducationCommand)
export class RecordArrearsEducationHandler implements ICommandHandler<RecordArrearsEducationCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: RecordArrearsEducationCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'RecordArrearsEducation',
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
