import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate, Period } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { MemberStatusName } from '../member.commands';
import type { MemberGender } from '../member.state';
import { cardNumberReservations, chooseCardNumber } from './card-numbers';
import {
  decisionDate,
  grassrootsUnionFacts,
  idForCommand,
  membershipRulesOn,
  protectPersonalValue,
  runMemberCommand,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';
import { PERSONAL_DATA_PROTECTOR, type PersonalDataProtector } from './personal-data.port';

export interface ImportMemberInput {
  memberId?: string;
  unionId: string;
  name: string;
  gender: MemberGender;
  employeeNo: string;
  /** Plaintext; encrypted by the handler. Never logged. */
  nationalId?: string | null;
  phone?: string | null;
  joinedOn: IsoDate;
  /** The card number from the previous registry; generated when absent. */
  cardNumber?: string | null;
  /** ACTIVE (default) or RETAINED. */
  status?: MemberStatusName | null;
  duesExempt?: boolean;
  /** Last month settled in the previous registry. */
  duesPaidThrough?: Period | null;
  importedOn?: IsoDate;
}

/** Onboarding one existing member from a previous registry (bulk import is a later issue). */
export class ImportMemberCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: ImportMemberInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ImportMemberCommand)
export class ImportMemberHandler implements ICommandHandler<ImportMemberCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  execute({ input, metadata }: ImportMemberCommand): Promise<MemberOutcome> {
    const { tenantId, actor } = metadata;
    const memberId = idForCommand(metadata, input.memberId, 'member');
    const importedOn = decisionDate(metadata, input.importedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId,
      build: async () => {
        const [rules, union, actsForUnionIds, employeeNoInUse] = await Promise.all([
          membershipRulesOn(this.store, tenantId, importedOn),
          grassrootsUnionFacts(this.facts, tenantId, input.unionId),
          this.facts.actsFor(tenantId, actor, [input.unionId]),
          this.facts.employeeNoInUse(tenantId, String(input.employeeNo).trim(), memberId),
        ]);
        // Nothing is generated or encrypted for an actor who may not import into this union.
        const authorised = actsForUnionIds.includes(union.unionId);
        const [card, nationalId, phone] = authorised
          ? await Promise.all([
              chooseCardNumber(this.store, this.facts, tenantId, input.cardNumber),
              protectPersonalValue(this.protector, tenantId, memberId, input.nationalId),
              protectPersonalValue(this.protector, tenantId, memberId, input.phone),
            ])
          : [{ cardNumber: '', cardNumberGenerated: false, cardNumberInUse: false }, null, null];
        return {
          type: 'ImportMember',
          metadata,
          data: {
            rules,
            actsForUnionIds,
            memberId,
            union,
            name: input.name,
            gender: input.gender,
            employeeNo: input.employeeNo,
            nationalId,
            phone,
            joinedOn: input.joinedOn,
            ...card,
            employeeNoInUse,
            status: input.status ?? null,
            duesExempt: input.duesExempt ?? false,
            duesPaidThrough: input.duesPaidThrough ?? null,
            importedOn,
          },
        };
      },
      alongside: cardNumberReservations,
    });
  }
}
