import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  businessDate,
  parentOfficer,
  runUnionCommand,
  type UnionOutcome,
} from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';

export interface UnionDecisionInput {
  unionId: string;
  decidedOn?: IsoDate;
}

/** Art. 5: an officer of the parent approves a pending union. */
export class ApproveUnionEstablishmentCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: UnionDecisionInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ApproveUnionEstablishmentCommand)
export class ApproveUnionEstablishmentHandler implements ICommandHandler<ApproveUnionEstablishmentCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: ApproveUnionEstablishmentCommand): Promise<UnionOutcome> {
    const { tenantId } = metadata;
    return runUnionCommand(this.store, metadata, input.unionId, async (state) => {
      const parentId = state.status === 'NONE' ? null : state.parentId;
      return {
        type: 'ApproveUnionEstablishment',
        metadata,
        data: {
          approvedOn: businessDate(metadata, input.decidedOn),
          parent: parentId
            ? await this.facts.union(tenantId, parentId)
            : { unionId: '', status: 'NOT_FOUND' },
          siblingNames: parentId
            ? await this.facts.siblingNames(tenantId, parentId, input.unionId)
            : [],
          actorIsParentOfficer: await parentOfficer(this.facts, metadata, state),
        },
      };
    });
  }
}
