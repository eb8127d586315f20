import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { ElectingBody } from '../union.state';
import { loadSettings } from './run-command';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';

export interface RecallCommitteeMemberInput {
  unionId: string;
  memberId: string;
  decidedBy: ElectingBody;
  resolutionRef: string;
  votesFor: number;
  votersPresent: number;
  expectedVoters: number;
  decidedOn?: IsoDate;
}

/** Art. 15: the body that elected a committee member recalls them by a valid vote. */
export class RecallCommitteeMemberCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: RecallCommitteeMemberInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RecallCommitteeMemberCommand)
export class RecallCommitteeMemberHandler implements ICommandHandler<RecallCommitteeMemberCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ input, metadata }: RecallCommitteeMemberCommand): Promise<UnionOutcome> {
    const { unionId, decidedOn: given, ...vote } = input;
    const decidedOn = businessDate(metadata, given);
    return runUnionCommand(this.store, metadata, unionId, async () => ({
      type: 'RecallCommitteeMember',
      metadata,
      data: {
        ...vote,
        decidedOn,
        settings: await loadSettings(this.store, metadata.tenantId, decidedOn),
      },
    }));
  }
}
