import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';
import type { EstablishUnionInput } from './establish-union.handler';

/** Art. 5: a union asks the union one level up to approve its establishment. */
export class RequestUnionEstablishmentCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: EstablishUnionInput & { requestedOn?: IsoDate },
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RequestUnionEstablishmentCommand)
export class RequestUnionEstablishmentHandler implements ICommandHandler<RequestUnionEstablishmentCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: RequestUnionEstablishmentCommand): Promise<UnionOutcome> {
    const { tenantId } = metadata;
    return runUnionCommand(this.store, metadata, input.unionId, async () => ({
      type: 'RequestUnionEstablishment',
      metadata,
      data: {
        unionId: input.unionId,
        name: input.name,
        level: input.level,
        parent: await this.facts.union(tenantId, input.parentId),
        siblingNames: await this.facts.siblingNames(tenantId, input.parentId, input.unionId),
        requestedOn: businessDate(metadata, input.requestedOn ?? input.establishedOn),
      },
    }));
  }
}
