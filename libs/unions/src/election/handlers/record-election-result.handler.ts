import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { businessDate } from '../../union/handlers/union-handler.base';
import { loadSettings } from '../../union/handlers/run-command';
import type { Tally } from '../election.state';
import { runElectionCommand, type ElectionOutcome } from './election-handler.base';

export interface RecordElectionResultInput {
  electionId: string;
  votersPresent: number;
  tallies: Tally[];
  heldOn?: IsoDate;
}

/** Validity (2/3 turnout) and winners, judged by the settings in force on the election day. */
export class RecordElectionResultCommand extends Command<ElectionOutcome> {
  constructor(
    readonly input: RecordElectionResultInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RecordElectionResultCommand)
export class RecordElectionResultHandler implements ICommandHandler<RecordElectionResultCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ input, metadata }: RecordElectionResultCommand): Promise<ElectionOutcome> {
    const heldOn = businessDate(metadata, input.heldOn);
    return runElectionCommand(this.store, metadata, input.electionId, async () => ({
      type: 'RecordElectionResult',
      metadata,
      data: {
        votersPresent: input.votersPresent,
        tallies: input.tallies,
        heldOn,
        settings: await loadSettings(this.store, metadata.tenantId, heldOn),
      },
    }));
  }
}
