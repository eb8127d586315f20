import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';

export interface RecordCommitteeMeetingInput {
  unionId: string;
  heldOn: IsoDate;
  minutesRef?: string;
}

/** Art. 16: a committee meeting, so that an overdue meeting can be flagged. */
export class RecordCommitteeMeetingCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: RecordCommitteeMeetingInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RecordCommitteeMeetingCommand)
export class RecordCommitteeMeetingHandler implements ICommandHandler<RecordCommitteeMeetingCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ input, metadata }: RecordCommitteeMeetingCommand): Promise<UnionOutcome> {
    return runUnionCommand(this.store, metadata, input.unionId, () => ({
      type: 'RecordCommitteeMeeting',
      metadata,
      data: {
        heldOn: input.heldOn,
        recordedOn: businessDate(metadata),
        ...(input.minutesRef === undefined ? {} : { minutesRef: input.minutesRef }),
      },
    }));
  }
}
