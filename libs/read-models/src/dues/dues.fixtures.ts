import type { Event } from '@app/core';
import type { PostgresEventStore } from '@app/event-store';
import { duesPaid, memberImported, unionEstablished } from '@app/testing';

/** Events for the dues read-model specs (shapes as the deciders emit them). */

export const established = (unionId: string, level: string, parentId: string | null): Event =>
  unionEstablished(unionId, level, parentId, { name: unionId });

/** company → 2 secondary units → a brigade each → a team each. */
export async function tree(store: PostgresEventStore, tenant: string): Promise<void> {
  await store.appendToStream(tenant, 'union-co', [established('co', 'COMPANY', null)]);
  for (const s of ['s1', 's2']) {
    await store.appendToStream(tenant, `union-${s}`, [established(s, 'SECONDARY_UNIT', 'co')]);
    await store.appendToStream(tenant, `union-${s}b`, [established(`${s}b`, 'BRIGADE', s)]);
    await store.appendToStream(tenant, `union-${s}t`, [established(`${s}t`, 'TEAM', `${s}b`)]);
  }
}

export const imported = (
  memberId: string,
  unionId: string,
  liableFrom: string,
  options: { status?: 'ACTIVE' | 'RETAINED'; exempt?: boolean } = {},
): Event =>
  memberImported(memberId, unionId, {
    ...options,
    gender: 'FEMALE',
    joinedOn: `${liableFrom}-01`,
    liableFrom,
  });

export const paid = (
  memberId: string,
  unionId: string,
  period: string,
  amountFen = 1725,
  source: 'PAYMENT' | 'PAYROLL' = 'PAYROLL',
): Event => duesPaid(memberId, unionId, period, { amountFen, source, paidOnDay: 25 });

export const corrected = (
  memberId: string,
  unionId: string,
  period: string,
  amountFen: number,
  previousAmountFen: number,
): Event => ({
  type: 'DuesPaymentCorrected',
  data: {
    memberId,
    unionId,
    period,
    wageBaseFen: amountFen * 200,
    expectedFen: amountFen,
    amountFen,
    previousAmountFen,
    correctedOn: '2026-11-02',
    reason: 'wrong wage base',
  },
});

export const transferred = (
  memberId: string,
  fromUnionId: string,
  toUnionId: string,
  completedOn: string,
): Event => ({
  type: 'MemberTransferCompleted',
  data: {
    memberId,
    transferId: `x-${memberId}`,
    fromUnionId,
    toUnionId,
    toExternal: null,
    completedOn,
  },
});

export const withdrew = (memberId: string, unionId: string, withdrawnOn: string): Event => ({
  type: 'MemberWithdrew',
  data: { memberId, unionId, withdrawnOn, cardReturned: true, note: null },
});

export const retained = (memberId: string, unionId: string, exemptFrom: string): Event => ({
  type: 'MembershipRetained',
  data: {
    memberId,
    unionId,
    retainedOn: `${exemptFrom}-01`,
    reason: 'RETIREMENT',
    duesExemptFrom: exemptFrom,
    note: null,
  },
});

export const internallyRetired = (
  memberId: string,
  unionId: string,
  exemptFrom: string,
): Event => ({
  type: 'InternalRetirementStarted',
  data: {
    memberId,
    unionId,
    startedOn: `${exemptFrom}-01`,
    duesExemptFrom: exemptFrom,
    note: null,
  },
});

export const payroll = (
  unionId: string,
  period: string,
  accepted: number,
  totalFen: number,
): Event => ({
  type: 'DuesPayrollImported',
  data: {
    unionId,
    period,
    paidOn: `${period}-25`,
    rows: accepted + 1,
    accepted,
    rejected: 1,
    totalFen,
  },
});
