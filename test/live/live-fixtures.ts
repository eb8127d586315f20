import type { Event } from '@app/core';

export const established = (unionId: string, level: string, parentId: string | null): Event => ({
  type: 'UnionEstablished',
  data: { unionId, name: `Union ${unionId}`, level, parentId, establishedOn: '2024-01-01' },
});

export const imported = (memberId: string, unionId: string): Event => ({
  type: 'MemberImported',
  data: {
    memberId,
    unionId,
    name: `Member ${memberId}`,
    gender: 'MALE',
    employeeNo: `E-${memberId}`,
    nationalId: null,
    phone: null,
    joinedOn: '2024-02-01',
    cardNumber: `C-${memberId}`,
    cardNumberGenerated: false,
    status: 'ACTIVE',
    duesExempt: false,
    duesLiableFrom: '2024-02',
    importedOn: '2026-11-01',
  },
});

/** A payment by card or at the counter, as the dues screens record it. */
export const paid = (
  memberId: string,
  unionId: string,
  period: string,
  amountFen: number,
): Event => ({
  type: 'DuesPaid',
  data: {
    memberId,
    unionId,
    period,
    wageBaseFen: amountFen * 200,
    expectedFen: amountFen,
    amountFen,
    paidOn: `${period}-20`,
    source: 'PAYMENT',
  },
});
