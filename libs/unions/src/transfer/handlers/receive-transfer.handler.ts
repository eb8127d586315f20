import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { decisionDate } from '../../member/handlers/member-handler.base';
import {
  MEMBER_FACTS,
  type MemberFactsPort,
  type MemberUnionLookup,
} from '../../member/handlers/member-facts.port';
import type { UnionStatusName } from '../../member/member.commands';
import { memberError } from '../../member/member.errors';
import {
  handlerDecisionFacts,
  runTransferCommand,
  type TransferOutcome,
} from './transfer-handler.base';

export interface ReceiveTransferInput {
  transferId: string;
  note?: string | null;
  receivedOn?: IsoDate;
}

/** Art. 19(3): the receiving handler registers the member, who from then on counts there. */
export class ReceiveTransferCommand extends Command<TransferOutcome> {
  constructor(
    readonly input: ReceiveTransferInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ReceiveTransferCommand)
export class ReceiveTransferHandler implements ICommandHandler<ReceiveTransferCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: ReceiveTransferCommand): Promise<TransferOutcome> {
    const { tenantId } = metadata;
    const receivedOn = decisionDate(metadata, input.receivedOn);
    return runTransferCommand({
      store: this.store,
      metadata,
      transferId: input.transferId,
      build: async ({ transfer }) => {
        const [{ rules, actsForUnionIds }, receiving] = await Promise.all([
          handlerDecisionFacts(this.store, this.facts, metadata, transfer, receivedOn),
          transfer.status === 'NONE' || transfer.toUnionId === null
            ? null
            : this.facts.union(tenantId, transfer.toUnionId),
        ]);
        return {
          type: 'ReceiveTransfer',
          metadata,
          data: {
            rules,
            actsForUnionIds,
            receivedOn,
            note: input.note ?? null,
            receivingUnionStatus: statusOf(receiving),
          },
        };
      },
    });
  }
}

/**
 * A receiving union missing from the tree cannot register anyone. Null: there is no union to ask,
 * and the decider refuses the command on the transfer's own state.
 */
function statusOf(union: MemberUnionLookup | null): UnionStatusName {
  if (union === null) return 'ACTIVE';
  if (union.status === 'NOT_FOUND') throw memberError('UNION_NOT_FOUND');
  return union.status;
}
