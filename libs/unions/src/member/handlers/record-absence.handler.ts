import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { AbsenceReason } from '../member.state';
import {
  decisionDate,
  officerData,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';

export interface RecordAbsenceInput {
  memberId: string;
  reason: AbsenceReason;
  from: IsoDate;
  until?: IsoDate | null;
  note?: string | null;
}

/** Art. 19(3): long absence (study, meetings, inspection) is not a transfer; dues and vote stay home. */
export class RecordAbsenceCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: RecordAbsenceInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RecordAbsenceCommand)
export class RecordAbsenceHandler implements ICommandHandler<RecordAbsenceCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: RecordAbsenceCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.from);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'RecordAbsence',
        metadata,
        data: {
          ...(await officerData(this.store, this.facts, metadata, state, decidedOn, settings)),
          reason: input.reason,
          from: input.from,
          until: input.until ?? null,
          note: input.note ?? null,
        },
      }),
    });
  }
}
