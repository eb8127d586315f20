import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate, Period } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  decisionDate,
  officerData,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';

export interface RecordDuesPaymentInput {
  memberId: string;
  period: Period;
  /** Monthly wage base in fen. */
  wageBaseFen: number;
  /** When given it must equal the dues computed from the base. */
  amountFen?: number | null;
  paidOn?: IsoDate;
}

/** Art. 19: one member's dues for one month (paying a period twice needs a correction). */
export class RecordDuesPaymentCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: RecordDuesPaymentInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RecordDuesPaymentCommand)
export class RecordDuesPaymentHandler implements ICommandHandler<RecordDuesPaymentCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: RecordDuesPaymentCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.paidOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'RecordDuesPayment',
        metadata,
        data: {
          ...(await officerData(this.store, this.facts, metadata, state, decidedOn, settings)),
          period: input.period,
          wageBaseFen: input.wageBaseFen,
          amountFen: input.amountFen ?? null,
          paidOn: decidedOn,
        },
      }),
    });
  }
}
