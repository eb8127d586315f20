import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { RetentionReason } from '../member.state';
import {
  decisionDate,
  officerData,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';

export interface RetainMembershipInput {
  memberId: string;
  reason: RetentionReason;
  note?: string | null;
  decidedOn?: IsoDate;
}

/** Art. 19(6): retained membership on retirement or leaving: no dues, no vote. */
export class RetainMembershipCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: RetainMembershipInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RetainMembershipCommand)
export class RetainMembershipHandler implements ICommandHandler<RetainMembershipCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: RetainMembershipCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'RetainMembership',
        metadata,
        data: {
          ...(await officerData(this.store, this.facts, metadata, state, decidedOn, settings)),
          decidedOn,
          reason: input.reason,
          note: input.note ?? null,
        },
      }),
    });
  }
}
