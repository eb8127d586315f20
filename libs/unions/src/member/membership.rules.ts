import { addMonthsToPeriod, article, isPeriod, type IsoDate, type Period } from '@app/core';
import { periodOf } from '../dues/dues.rules';
import type {
  ApplyForMembership,
  ApproveMembership,
  ImportMember,
  RejectMembership,
  UnionFacts,
} from './member.commands';
import { memberError } from './member.errors';
import type {
  MemberImported,
  MembershipApplied,
  MembershipApproved,
  MembershipRejected,
} from './member.events';
import type { MemberGender, MemberState } from './member.state';
import {
  optionalText,
  requireAuthority,
  requireCardNumber,
  requireNotBefore,
  requirePastDate,
  requireStatus,
  requireText,
} from './member-checks.rules';

const ART_19_2 = article(19, 2);

/** Art. 19(2): members join a grassroots union (BRIGADE or TEAM) that is active. */
export function requireGrassrootsUnion(union: UnionFacts): void {
  if (union.level !== 'BRIGADE' && union.level !== 'TEAM') {
    throw memberError('NOT_A_GRASSROOTS_UNION', { level: union.level });
  }
  if (union.status !== 'ACTIVE') throw memberError('UNION_NOT_ACTIVE', { status: union.status });
}

function requireGender(gender: string): MemberGender {
  if (gender !== 'FEMALE' && gender !== 'MALE') {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'gender' });
  }
  return gender;
}

function requireNew(state: MemberState): void {
  if (state.status !== 'NONE') throw memberError('MEMBER_ALREADY_EXISTS');
}

/**
 * Art. 19(1)(2). Any registered employee may apply "whatever their ethnicity, gender, position,
 * religion or education": the event is built field by field from the contract's inputs, so no
 * other attribute can reach the record even if a caller sends one.
 */
export function applyForMembership(
  command: ApplyForMembership,
  state: MemberState,
): MembershipApplied[] {
  const { data, metadata } = command;
  requireNew(state);
  requireGrassrootsUnion(data.union);
  const name = requireText(data.name, 'name', 100);
  const employeeNo = requireText(data.employeeNo, 'employeeNo', 64);
  if (data.employeeNoInUse) throw memberError('EMPLOYEE_NUMBER_IN_USE');
  return [
    {
      type: 'MembershipApplied',
      data: {
        memberId: data.memberId,
        unionId: data.union.unionId,
        name,
        gender: requireGender(data.gender),
        employeeNo,
        nationalId: data.nationalId ?? null,
        phone: data.phone ?? null,
        appliedOn: requirePastDate(data.appliedOn, 'appliedOn', metadata, data.rules),
      },
    },
  ];
}

/** Art. 19(2): the grassroots committee approves and the card number is issued. */
export function approveMembership(
  command: ApproveMembership,
  state: MemberState,
): MembershipApproved[] {
  const { data, metadata } = command;
  const applied = requireStatus(state, ['APPLIED'], 'approveMembership');
  requireAuthority(data.actsForUnionIds, applied.unionId, ART_19_2);
  const decidedOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  requireNotBefore(decidedOn, 'decidedOn', applied.appliedOn, 'appliedOn');
  const cardNumber = requireCardNumber(data.cardNumber);
  if (data.cardNumberInUse) throw memberError('CARD_NUMBER_IN_USE');
  return [
    {
      type: 'MembershipApproved',
      data: {
        memberId: applied.memberId,
        unionId: applied.unionId,
        cardNumber,
        cardNumberGenerated: data.cardNumberGenerated,
        joinedOn: decidedOn,
      },
    },
  ];
}

export function rejectMembership(
  command: RejectMembership,
  state: MemberState,
): MembershipRejected[] {
  const { data, metadata } = command;
  const applied = requireStatus(state, ['APPLIED'], 'rejectMembership');
  requireAuthority(data.actsForUnionIds, applied.unionId, ART_19_2);
  const decidedOn = requirePastDate(data.decidedOn, 'decidedOn', metadata, data.rules);
  requireNotBefore(decidedOn, 'decidedOn', applied.appliedOn, 'appliedOn');
  return [
    {
      type: 'MembershipRejected',
      data: {
        memberId: applied.memberId,
        unionId: applied.unionId,
        rejectedOn: decidedOn,
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}

/**
 * Onboarding (issue 9): an existing member with their joining date and card number. Arrears count
 * from the month after `duesPaidThrough`, or from the import month when the previous registry did
 * not say, so that years of history nobody recorded are never read as unpaid months.
 */
export function importMember(command: ImportMember, state: MemberState): MemberImported[] {
  const { data, metadata } = command;
  requireNew(state);
  requireGrassrootsUnion(data.union);
  requireAuthority(data.actsForUnionIds, data.union.unionId, ART_19_2);
  const status = data.status ?? 'ACTIVE';
  if (status !== 'ACTIVE' && status !== 'RETAINED') {
    throw memberError('INVALID_IMPORT_STATUS', { status });
  }
  const importedOn = requirePastDate(data.importedOn, 'importedOn', metadata, data.rules);
  const joinedOn = requirePastDate(data.joinedOn, 'joinedOn', metadata, data.rules);
  const cardNumber = requireCardNumber(data.cardNumber);
  const name = requireText(data.name, 'name', 100);
  const employeeNo = requireText(data.employeeNo, 'employeeNo', 64);
  if (data.employeeNoInUse) throw memberError('EMPLOYEE_NUMBER_IN_USE');
  if (data.cardNumberInUse) throw memberError('CARD_NUMBER_IN_USE');
  return [
    {
      type: 'MemberImported',
      data: {
        memberId: data.memberId,
        unionId: data.union.unionId,
        name,
        gender: requireGender(data.gender),
        employeeNo,
        nationalId: data.nationalId ?? null,
        phone: data.phone ?? null,
        joinedOn,
        cardNumber,
        cardNumberGenerated: data.cardNumberGenerated,
        status,
        duesExempt: status === 'RETAINED' || data.duesExempt,
        duesLiableFrom: duesLiableFrom(joinedOn, importedOn, data.duesPaidThrough),
        importedOn,
      },
    },
  ];
}

function duesLiableFrom(
  joinedOn: IsoDate,
  importedOn: IsoDate,
  paidThrough: Period | null,
): Period {
  const joined = periodOf(joinedOn);
  if (paidThrough === null) {
    const imported = periodOf(importedOn);
    return imported > joined ? imported : joined;
  }
  if (!isPeriod(paidThrough) || paidThrough > periodOf(importedOn)) {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'duesPaidThrough' });
  }
  const next = addMonthsToPeriod(paidThrough, 1);
  return next > joined ? next : joined;
}
