import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { loadSettings } from './run-command';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';

export interface ExtendTermInput {
  unionId: string;
  months: number;
  special?: boolean;
  approvalRef: string;
  decidedOn?: IsoDate;
}

/** Art. 7: extension approved by the parent, judged by the settings in force that day. */
export class ExtendTermCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: ExtendTermInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExtendTermCommand)
export class ExtendTermHandler implements ICommandHandler<ExtendTermCommand> {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  execute({ input, metadata }: ExtendTermCommand): Promise<UnionOutcome> {
    const decidedOn = businessDate(metadata, input.decidedOn);
    return runUnionCommand(this.store, metadata, input.unionId, async () => ({
      type: 'ExtendTerm',
      metadata,
      data: {
        months: input.months,
        special: input.special ?? false,
        approvalRef: input.approvalRef,
        decidedOn,
        settings: await loadSettings(this.store, metadata.tenantId, decidedOn),
      },
    }));
  }
}
