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

export interface CorrectDuesPaymentInput {
  memberId: string;
  period: Period;
  wageBaseFen: number;
  amountFen?: number | null;
  reason: string;
  correctedOn?: IsoDate;
}

/** Re-records a paid period (wrong wage base or amount), with the reason. */
export class CorrectDuesPaymentCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: CorrectDuesPaymentInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(CorrectDuesPaymentCommand)
export class CorrectDuesPaymentHandler implements ICommandHandler<CorrectDuesPaymentCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: CorrectDuesPaymentCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.correctedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => ({
        type: 'CorrectDuesPayment',
        metadata,
        data: {
          ...(await officerData(this.store, this.facts, metadata, state, decidedOn, settings)),
          period: input.period,
          wageBaseFen: input.wageBaseFen,
          amountFen: input.amountFen ?? null,
          correctedOn: decidedOn,
          reason: input.reason,
        },
      }),
    });
  }
}
