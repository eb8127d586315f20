import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { VacancyCause } from '../union.events';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';

export interface VacateCommitteeSeatInput {
  unionId: string;
  memberId: string;
  cause: VacancyCause;
  decidedOn?: IsoDate;
}

/** Art. 8: a seat falls vacant (resignation, leaving the union), to be filled by by-election. */
export class VacateCommitteeSeatCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: VacateCommitteeSeatInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(VacateCommitteeSeatCommand)
export class VacateCommitteeSeatHandler implements ICommandHandler<VacateCommitteeSeatCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ input, metadata }: VacateCommitteeSeatCommand): Promise<UnionOutcome> {
    const { unionId, memberId, cause } = input;
    return runUnionCommand(this.store, metadata, unionId, () => ({
      type: 'VacateCommitteeSeat',
      metadata,
      data: { memberId, cause, decidedOn: businessDate(metadata, input.decidedOn) },
    }));
  }
}
