import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  businessDate,
  parentOfficer,
  runUnionCommand,
  type UnionOutcome,
} from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';
import type { UnionDecisionInput } from './approve-union-establishment.handler';

/** Art. 5: the parent turns a request down, with its reason. */
export class RejectUnionEstablishmentCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: UnionDecisionInput & { reason: string },
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RejectUnionEstablishmentCommand)
export class RejectUnionEstablishmentHandler implements ICommandHandler<RejectUnionEstablishmentCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: RejectUnionEstablishmentCommand): Promise<UnionOutcome> {
    return runUnionCommand(this.store, metadata, input.unionId, async (state) => ({
      type: 'RejectUnionEstablishment',
      metadata,
      data: {
        rejectedOn: businessDate(metadata, input.decidedOn),
        reason: input.reason,
        actorIsParentOfficer: await parentOfficer(this.facts, metadata, state),
      },
    }));
  }
}
