import { article, assertNever } from '@app/core';
import { duesError } from '../dues/dues.errors';
import {
  assertDuesRules,
  assertPayablePeriod,
  checkDuesPayment,
  periodOf,
  type DuesPaymentFacts,
} from '../dues/dues.rules';
import type { CorrectDuesPayment, RecordDuesPayment } from './member.commands';
import type { DuesPaid, DuesPaymentCorrected } from './member.events';
import type { ActiveMember, MemberState, RetainedMember } from './member.state';
import {
  requireAuthority,
  requireNotBefore,
  requirePastDate,
  requireStatus,
  requireText,
  today,
} from './member-checks.rules';

const ART_19 = article(19);

/** The compact dues facts of one member for one period: what a payroll import reads set-based. */
export function duesPaymentFacts(state: MemberState, period: string): DuesPaymentFacts | null {
  switch (state.status) {
    case 'NONE':
      return null;
    case 'APPLIED':
      return {
        standing: 'NOT_APPROVED',
        joinedPeriod: periodOf(state.appliedOn),
        exemptFrom: null,
        periodAlreadyPaid: false,
      };
    case 'ACTIVE':
    case 'RETAINED':
      return memberFacts(state, period);
    case 'REJECTED':
    case 'WITHDRAWN':
    case 'EXPELLED':
    case 'TRANSFERRED_OUT':
      return {
        standing: 'ENDED',
        joinedPeriod: periodOf(state.endedOn),
        exemptFrom: null,
        periodAlreadyPaid: false,
      };
    default:
      return assertNever(state, 'member state');
  }
}

function memberFacts(member: ActiveMember | RetainedMember, period: string): DuesPaymentFacts {
  return {
    standing: 'MEMBER',
    joinedPeriod: periodOf(member.joinedOn),
    exemptFrom: member.dues.exemptFrom,
    periodAlreadyPaid: member.dues.paid[period] !== undefined,
  };
}

/**
 * One member's dues for one month. The period must have begun and not lie before joining; a
 * period already paid is rejected (use a correction); exempt members cannot be charged.
 */
export function recordDuesPayment(command: RecordDuesPayment, state: MemberState): DuesPaid[] {
  const { data, metadata } = command;
  assertDuesRules(data.rules.dues);
  const member = requireStatus(state, ['ACTIVE', 'RETAINED'], 'recordDuesPayment');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19);
  assertPayablePeriod(data.period, today(metadata, data.rules));
  const paidOn = requirePastDate(data.paidOn, 'paidOn', metadata, data.rules);
  const check = checkDuesPayment(memberFacts(member, data.period), data, data.rules.dues);
  if (!check.ok) {
    throw duesError(check.code, {
      period: data.period,
      amountFen: data.amountFen,
      expectedFen: check.expectedFen,
    });
  }
  return [
    {
      type: 'DuesPaid',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        period: data.period,
        wageBaseFen: data.wageBaseFen,
        expectedFen: check.expectedFen,
        amountFen: check.amountFen,
        paidOn,
        source: 'PAYMENT',
      },
    },
  ];
}

/** Re-records a paid period (wrong wage base or amount); the only way to write a period twice. */
export function correctDuesPayment(
  command: CorrectDuesPayment,
  state: MemberState,
): DuesPaymentCorrected[] {
  const { data, metadata } = command;
  assertDuesRules(data.rules.dues);
  const member = requireStatus(state, ['ACTIVE', 'RETAINED'], 'correctDuesPayment');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19);
  assertPayablePeriod(data.period, today(metadata, data.rules));
  const correctedOn = requirePastDate(data.correctedOn, 'correctedOn', metadata, data.rules);
  const reason = requireText(data.reason, 'reason', 1000);
  const previousAmountFen = member.dues.paid[data.period];
  if (previousAmountFen === undefined) throw duesError('DUES_NOT_PAID', { period: data.period });
  requireNotBefore(correctedOn, 'correctedOn', member.joinedOn, 'joinedOn');
  // The corrected payment must itself be valid, as if the period were still open.
  const facts = { ...memberFacts(member, data.period), periodAlreadyPaid: false };
  const check = checkDuesPayment(facts, data, data.rules.dues);
  if (!check.ok) {
    throw duesError(check.code, {
      period: data.period,
      amountFen: data.amountFen,
      expectedFen: check.expectedFen,
    });
  }
  return [
    {
      type: 'DuesPaymentCorrected',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        period: data.period,
        wageBaseFen: data.wageBaseFen,
        expectedFen: check.expectedFen,
        amountFen: check.amountFen,
        previousAmountFen,
        correctedOn,
        reason,
      },
    },
  ];
}
