import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { decisionDate } from '../../member/handlers/member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from '../../member/handlers/member-facts.port';
import {
  handlerDecisionFacts,
  runTransferCommand,
  type TransferOutcome,
} from './transfer-handler.base';

export interface RejectTransferInput {
  transferId: string;
  note?: string | null;
  rejectedOn?: IsoDate;
}

/** Art. 19(3): either handling side refuses an open transfer; the member stays at home. */
export class RejectTransferCommand extends Command<TransferOutcome> {
  constructor(
    readonly input: RejectTransferInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RejectTransferCommand)
export class RejectTransferHandler implements ICommandHandler<RejectTransferCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: RejectTransferCommand): Promise<TransferOutcome> {
    const rejectedOn = decisionDate(metadata, input.rejectedOn);
    return runTransferCommand({
      store: this.store,
      metadata,
      transferId: input.transferId,
      build: async ({ transfer }) => {
        const { rules, actsForUnionIds } = await handlerDecisionFacts(
          this.store,
          this.facts,
          metadata,
          transfer,
          rejectedOn,
        );
        return {
          type: 'RejectTransfer',
          metadata,
          data: { rules, actsForUnionIds, rejectedOn, note: input.note ?? null },
        };
      },
    });
  }
}
