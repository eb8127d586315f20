import { article } from '@app/core';
import { periodOf, unpaidStreak } from '../dues/dues.rules';
import type {
  DeclareAutomaticWithdrawal,
  ExpelMember,
  MembershipRules,
  RecordArrearsEducation,
  RetainMembership,
  StartInternalRetirement,
  WithdrawMember,
} from './member.commands';
import { memberError } from './member.errors';
import type {
  ArrearsEducationRecorded,
  AutomaticWithdrawalDeclared,
  InternalRetirementStarted,
  MemberExpelled,
  MembershipRetained,
  MemberWithdrew,
} from './member.events';
import type { ActiveMember, MemberState, RetainedMember } from './member.state';
import {
  optionalText,
  requireAuthority,
  requireNotBefore,
  requirePastDate,
  requireStatus,
  requireText,
} from './member-checks.rules';

const ART_19_4 = article(19, 4);
const ART_19_5 = article(19, 5);
const ART_19_6 = article(19, 6);

function requireNoOpenTransfer(member: ActiveMember | RetainedMember): void {
  if (member.status === 'ACTIVE' && member.openTransfer !== null) {
    throw memberError('TRANSFER_IN_PROGRESS');
  }
}

function arrearsThreshold(rules: MembershipRules): number {
  if (!Number.isInteger(rules.arrearsMonths) || rules.arrearsMonths < 1) {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'rules.arrearsMonths' });
  }
  return rules.arrearsMonths;
}

/** Art. 19(4), first paragraph: withdrawal at will; the committee announces it, takes the card. */
export function withdrawMember(command: WithdrawMember, state: MemberState): MemberWithdrew[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE', 'RETAINED'], 'withdrawMember');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_4);
  requireNoOpenTransfer(member);
  const withdrawnOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  requireNotBefore(withdrawnOn, 'decidedOn', member.joinedOn, 'joinedOn');
  return [
    {
      type: 'MemberWithdrew',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        withdrawnOn,
        cardReturned: data.cardReturned,
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}

/**
 * Art. 19(4), second paragraph, step 1: an officer records the education of a candidate, i.e. a
 * member with at least `arrearsMonths` consecutive unpaid months on the education date.
 */
export function recordArrearsEducation(
  command: RecordArrearsEducation,
  state: MemberState,
): ArrearsEducationRecorded[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE'], 'recordArrearsEducation');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_4);
  const educatedOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  const required = arrearsThreshold(data.rules);
  const streak = unpaidStreak(member.dues, educatedOn);
  if (streak.since === null || streak.months < required) {
    throw memberError('NOT_AN_ARREARS_CANDIDATE', {
      unpaidMonths: streak.months,
      requiredMonths: required,
    });
  }
  return [
    {
      type: 'ArrearsEducationRecorded',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        educatedOn,
        unpaidMonths: streak.months,
        unpaidSince: streak.since,
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}

/**
 * Art. 19(4), step 2: "deemed to have withdrawn" is declared by an officer, only after the
 * education, on or after its date, when no dues were paid since and the arrears still reach the
 * threshold on the decision date. Nothing calls this automatically.
 */
export function declareAutomaticWithdrawal(
  command: DeclareAutomaticWithdrawal,
  state: MemberState,
): AutomaticWithdrawalDeclared[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE'], 'declareAutomaticWithdrawal');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_4);
  requireNoOpenTransfer(member);
  const decidedOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  const required = arrearsThreshold(data.rules);
  const education = member.arrearsEducation;
  if (education === null) throw memberError('ARREARS_EDUCATION_REQUIRED');
  requireNotBefore(decidedOn, 'decidedOn', education.educatedOn, 'educatedOn');
  const streak = unpaidStreak(member.dues, decidedOn);
  if (education.duesPaidSince || streak.since === null || streak.months < required) {
    throw memberError('ARREARS_NO_LONGER_STAND', {
      unpaidMonths: streak.months,
      requiredMonths: required,
    });
  }
  return [
    {
      type: 'AutomaticWithdrawalDeclared',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        decidedOn,
        educatedOn: education.educatedOn,
        unpaidMonths: streak.months,
        unpaidSince: streak.since,
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}

/**
 * Art. 19(5): only for a serious crime with a criminal sanction, by a collective decision of the
 * committee, filed with the parent union (named in the event so the parent's projections see it).
 */
export function expelMember(command: ExpelMember, state: MemberState): MemberExpelled[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE', 'RETAINED'], 'expelMember');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_5);
  requireNoOpenTransfer(member);
  const criminalSanctionRef = optionalText(data.criminalSanctionRef, 'criminalSanctionRef', 200);
  if (criminalSanctionRef === null) throw memberError('CRIMINAL_SANCTION_REQUIRED');
  const committeeDecisionRef = optionalText(data.committeeDecisionRef, 'committeeDecisionRef', 200);
  if (committeeDecisionRef === null) throw memberError('COMMITTEE_DECISION_REQUIRED');
  const expelledOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  requireNotBefore(expelledOn, 'decidedOn', member.joinedOn, 'joinedOn');
  return [
    {
      type: 'MemberExpelled',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        expelledOn,
        criminalSanctionRef,
        committeeDecisionRef,
        filedWithUnionId: requireText(data.parentUnionId, 'parentUnionId', 200),
      },
    },
  ];
}

/** Art. 19(6): 内部退养 keeps membership; dues are exempt from the month it starts. */
export function startInternalRetirement(
  command: StartInternalRetirement,
  state: MemberState,
): InternalRetirementStarted[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE'], 'startInternalRetirement');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_6);
  if (member.internalRetirementSince !== null) throw memberError('ALREADY_IN_INTERNAL_RETIREMENT');
  const startedOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  requireNotBefore(startedOn, 'decidedOn', member.joinedOn, 'joinedOn');
  return [
    {
      type: 'InternalRetirementStarted',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        startedOn,
        duesExemptFrom: member.dues.exemptFrom ?? periodOf(startedOn),
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}

const RETENTION_REASONS = ['RETIREMENT', 'RESIGNATION', 'LEAVING', 'OTHER'];

/** Art. 19(6): 保留会籍 on retirement or leaving: still on the roll, no dues, no vote. */
export function retainMembership(
  command: RetainMembership,
  state: MemberState,
): MembershipRetained[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE'], 'retainMembership');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_6);
  requireNoOpenTransfer(member);
  if (!RETENTION_REASONS.includes(data.reason)) {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'reason' });
  }
  const retainedOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  requireNotBefore(retainedOn, 'decidedOn', member.joinedOn, 'joinedOn');
  return [
    {
      type: 'MembershipRetained',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        retainedOn,
        reason: data.reason,
        duesExemptFrom: member.dues.exemptFrom ?? periodOf(retainedOn),
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}
