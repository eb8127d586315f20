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

export interface ReleaseTransferInput {
  transferId: string;
  note?: string | null;
  releasedOn?: IsoDate;
}

/** Art. 19(3): the sending handler releases the member; to outside the enterprise this completes it. */
export class ReleaseTransferCommand extends Command<TransferOutcome> {
  constructor(
    readonly input: ReleaseTransferInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ReleaseTransferCommand)
export class ReleaseTransferHandler implements ICommandHandler<ReleaseTransferCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: ReleaseTransferCommand): Promise<TransferOutcome> {
    const releasedOn = decisionDate(metadata, input.releasedOn);
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
          releasedOn,
        );
        return {
          type: 'ReleaseTransfer',
          metadata,
          data: { rules, actsForUnionIds, releasedOn, note: input.note ?? null },
        };
      },
    });
  }
}
