import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { UnionLevel } from '../union.state';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';

export interface EstablishUnionInput {
  unionId: string;
  parentId: string;
  name: string;
  level: UnionLevel;
  establishedOn?: IsoDate;
}

/** Art. 5: an officer of the parent establishes a union directly (request + approval in one). */
export class EstablishUnionCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: EstablishUnionInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(EstablishUnionCommand)
export class EstablishUnionHandler implements ICommandHandler<EstablishUnionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: EstablishUnionCommand): Promise<UnionOutcome> {
    const { tenantId, actor } = metadata;
    return runUnionCommand(this.store, metadata, input.unionId, async () => ({
      type: 'EstablishUnion',
      metadata,
      data: {
        unionId: input.unionId,
        name: input.name,
        level: input.level,
        parent: await this.facts.union(tenantId, input.parentId),
        siblingNames: await this.facts.siblingNames(tenantId, input.parentId, input.unionId),
        establishedOn: businessDate(metadata, input.establishedOn),
        actorIsParentOfficer: await this.facts.isOfficerOf(tenantId, actor, input.parentId),
      },
    }));
  }
}
