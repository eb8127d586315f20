import type { Event } from '@app/core';

/**
 * The three events most specs write by hand (a union established, a member imported, dues
 * paid), in the shapes the deciders emit. Defaults are plain; each spec names what it varies.
 */

export const unionEstablished = (
  unionId: string,
  level: string,
  parentId: string | null,
  options: { name?: string; establishedOn?: string } = {},
): Event => ({
  type: 'UnionEstablished',
  data: {
    unionId,
    name: options.name ?? `name-${unionId}`,
    level,
    parentId,
    establishedOn: options.establishedOn ?? '2024-01-01',
  },
});

export interface ImportedOptions {
  name?: string;
  /** FEMALE or MALE; a spec of bad input may pass anything. */
  gender?: string;
  employeeNo?: string;
  joinedOn?: string;
  /** First period the member owes dues for; defaults to the join month. */
  liableFrom?: string;
  status?: 'ACTIVE' | 'RETAINED';
  exempt?: boolean;
  cardNumber?: string;
  cardNumberGenerated?: boolean;
  importedOn?: string;
}

export const memberImported = (
  memberId: string,
  unionId: string,
  options: ImportedOptions = {},
): Event => {
  const joinedOn = options.joinedOn ?? '2024-02-01';
  return {
    type: 'MemberImported',
    data: {
      memberId,
      unionId,
      name: options.name ?? `name-${memberId}`,
      gender: options.gender ?? 'MALE',
      employeeNo: options.employeeNo ?? `E-${memberId}`,
      nationalId: null,
      phone: null,
      joinedOn,
      cardNumber: options.cardNumber ?? `C-${memberId}`,
      cardNumberGenerated: options.cardNumberGenerated ?? false,
      status: options.status ?? 'ACTIVE',
      duesExempt: options.exempt ?? false,
      duesLiableFrom: options.liableFrom ?? joinedOn.slice(0, 7),
      importedOn: options.importedOn ?? '2026-11-01',
    },
  };
};

export const duesPaid = (
  memberId: string,
  unionId: string,
  period: string,
  options: { amountFen?: number; source?: 'PAYMENT' | 'PAYROLL'; paidOnDay?: number } = {},
): Event => {
  const amountFen = options.amountFen ?? 2_500;
  return {
    type: 'DuesPaid',
    data: {
      memberId,
      unionId,
      period,
      wageBaseFen: amountFen * 200,
      expectedFen: amountFen,
      amountFen,
      paidOn: `${period}-${options.paidOnDay ?? 20}`,
      source: options.source ?? 'PAYROLL',
    },
  };
};
