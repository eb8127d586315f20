import type { Event } from '@app/core';
import type { PostgresEventStore } from '@app/event-store';
import { duesPaid, memberImported, unionEstablished } from '@app/testing';

/** Events for the fact adapter specs (shapes as the deciders emit them). */

export const established = (
  unionId: string,
  level: string,
  parentId: string | null,
  establishedOn = '2024-01-01',
): Event => unionEstablished(unionId, level, parentId, { establishedOn });

export const requested = (unionId: string, level: string, parentId: string): Event => ({
  type: 'UnionEstablishmentRequested',
  data: { unionId, name: `name-${unionId}`, level, parentId, requestedOn: '2024-03-01' },
});

export const dissolved = (unionId: string, parentId: string, dissolvedOn: string): Event => ({
  type: 'UnionDissolved',
  data: {
    unionId,
    reason: 'UNIT_TERMINATED',
    adminDecisionRef: 'ADM-1',
    filedWithUnionId: parentId,
    dissolvedOn,
  },
});

export const imported = (
  memberId: string,
  unionId: string,
  options: {
    gender?: 'FEMALE' | 'MALE';
    joinedOn?: string;
    status?: 'ACTIVE' | 'RETAINED';
    exempt?: boolean;
    cardNumber?: string;
    generated?: boolean;
  } = {},
): Event => {
  const { generated, ...rest } = options;
  return memberImported(memberId, unionId, {
    ...rest,
    cardNumberGenerated: generated ?? false,
    importedOn: '2024-02-01',
  });
};

export const applied = (memberId: string, unionId: string, appliedOn = '2024-05-10'): Event => ({
  type: 'MembershipApplied',
  data: {
    memberId,
    unionId,
    name: `name-${memberId}`,
    gender: 'FEMALE',
    employeeNo: `E-${memberId}`,
    nationalId: null,
    phone: null,
    appliedOn,
  },
});

export { withdrew } from '../dues/dues.fixtures';

export const paid = (memberId: string, unionId: string, period: string): Event =>
  duesPaid(memberId, unionId, period);

export const absent = (memberId: string, unionId: string): Event => ({
  type: 'AbsenceRecorded',
  data: { memberId, unionId, reason: 'STUDY', from: '2024-06-01', until: null, note: null },
});

export const retired = (memberId: string, unionId: string, startedOn: string): Event => ({
  type: 'InternalRetirementStarted',
  data: { memberId, unionId, startedOn, duesExemptFrom: startedOn.slice(0, 7), note: null },
});

/**
 * co (COMPANY) ── s1 (SECONDARY_UNIT) ─┬─ b1 (BRIGADE) ─┬─ t1 (TEAM)
 *                                     │                └─ g1 (GROUP)
 *                                     ├─ b2 (BRIGADE, dissolved 2024-06-30)
 *                                     ├─ p1 (TEAM, pending approval)
 *                                     └─ r1 (TEAM, establishment rejected)
 */
export async function smallTree(store: PostgresEventStore, tenant: string): Promise<void> {
  const append = (id: string, events: Event[]) =>
    store.appendToStream(tenant, `union-${id}`, events);
  await append('co', [established('co', 'COMPANY', null)]);
  await append('s1', [established('s1', 'SECONDARY_UNIT', 'co')]);
  await append('b1', [established('b1', 'BRIGADE', 's1')]);
  await append('t1', [established('t1', 'TEAM', 'b1')]);
  await append('g1', [established('g1', 'GROUP', 'b1')]);
  await append('b2', [established('b2', 'BRIGADE', 's1'), dissolved('b2', 's1', '2024-06-30')]);
  await append('p1', [requested('p1', 'TEAM', 's1')]);
  await append('r1', [
    requested('r1', 'TEAM', 's1'),
    {
      type: 'UnionEstablishmentRejected',
      data: { unionId: 'r1', parentId: 's1', rejectedOn: '2024-03-05', reason: 'no' },
    },
  ]);
}
