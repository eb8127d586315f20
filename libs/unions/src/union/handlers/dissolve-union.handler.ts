import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';

export interface DissolveUnionInput {
  unionId: string;
  reason: string;
  adminDecisionRef: string;
  dissolvedOn?: IsoDate;
}

/** Art. 11: after the unit's termination or revocation, once no member or child is left. */
export class DissolveUnionCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: DissolveUnionInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(DissolveUnionCommand)
export class DissolveUnionHandler implements ICommandHandler<DissolveUnionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: DissolveUnionCommand): Promise<UnionOutcome> {
    const dissolvedOn = businessDate(metadata, input.dissolvedOn);
    return runUnionCommand(this.store, metadata, input.unionId, async () => {
      const counts = await this.facts.counts(metadata.tenantId, input.unionId, dissolvedOn);
      return {
        type: 'DissolveUnion',
        metadata,
        data: {
          reason: input.reason,
          adminDecisionRef: input.adminDecisionRef,
          dissolvedOn,
          activeMembers: counts.activeMembers,
          activeChildUnions: counts.activeChildUnions,
        },
      };
    });
  }
}
