import type { CommandMetadata, IsoDate, Period } from '@app/core';
import { REGULATION_MEMBERSHIP_RULES, type MembershipRules } from './member.commands';
import type { MemberEvent } from './member.events';

/** Test data shared by the member, transfer and dues specs (not part of the public surface). */
export const MEMBER_ID = 'member-1';
export const TEAM = 'team-1';
export const PARENT = 'brigade-1';
export const RULES: MembershipRules = REGULATION_MEMBERSHIP_RULES;

/** 2025-07-15 12:00 in Asia/Shanghai. */
export const NOW = new Date('2025-07-15T04:00:00Z');

export function meta(now: Date = NOW): CommandMetadata {
  return { tenantId: 'tenant-1', actor: 'officer-1', now, commandId: 'command-1' };
}

export const officer = { actsForUnionIds: [TEAM, PARENT], rules: RULES } as const;

export function applied(appliedOn: IsoDate = '2024-12-20'): MemberEvent {
  return {
    type: 'MembershipApplied',
    data: {
      memberId: MEMBER_ID,
      unionId: TEAM,
      name: '王芳',
      gender: 'FEMALE',
      employeeNo: 'E-1001',
      nationalId: { ciphertext: 'c1', keyId: 'k1' },
      phone: null,
      appliedOn,
    },
  };
}

export function approved(joinedOn: IsoDate = '2025-01-02'): MemberEvent {
  return {
    type: 'MembershipApproved',
    data: {
      memberId: MEMBER_ID,
      unionId: TEAM,
      cardNumber: 'C-0001',
      cardNumberGenerated: false,
      joinedOn,
    },
  };
}

/** An ACTIVE member who joined on 2025-01-02 (first dues month 2025-01). */
export const activeMember = (joinedOn: IsoDate = '2025-01-02'): MemberEvent[] => [
  applied(joinedOn < '2024-12-20' ? joinedOn : '2024-12-20'),
  approved(joinedOn),
];

export function duesPaid(period: Period, amountFen = 2835): MemberEvent {
  return {
    type: 'DuesPaid',
    data: {
      memberId: MEMBER_ID,
      unionId: TEAM,
      period,
      wageBaseFen: 567890,
      expectedFen: amountFen,
      amountFen,
      paidOn: `${period}-25`,
      source: 'PAYROLL',
    },
  };
}

export function educated(
  educatedOn: IsoDate,
  unpaidMonths: number,
  unpaidSince: Period,
): MemberEvent {
  return {
    type: 'ArrearsEducationRecorded',
    data: {
      memberId: MEMBER_ID,
      unionId: TEAM,
      educatedOn,
      unpaidMonths,
      unpaidSince,
      note: null,
    },
  };
}

export function transferStarted(transferId = 'transfer-1'): MemberEvent {
  return {
    type: 'MemberTransferStarted',
    data: {
      memberId: MEMBER_ID,
      transferId,
      fromUnionId: TEAM,
      toUnionId: 'team-2',
      toExternal: null,
      requestedOn: '2025-07-01',
    },
  };
}

export function retained(retainedOn: IsoDate = '2025-05-10'): MemberEvent {
  return {
    type: 'MembershipRetained',
    data: {
      memberId: MEMBER_ID,
      unionId: TEAM,
      retainedOn,
      reason: 'RETIREMENT',
      duesExemptFrom: retainedOn.slice(0, 7),
      note: null,
    },
  };
}
