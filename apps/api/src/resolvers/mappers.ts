import { consecutiveUnpaidMonths, type MemberView, type UnionView } from '@app/read-models';
import { addMonthsToPeriod, dateInZone } from '@app/core';
import type { Member } from '../graphql/member.types';
import type { Union } from '../graphql/union.types';

/** Statuses the API shows; REJECTED requests are not unions. */
export function toUnion(view: UnionView): Union {
  return {
    id: view.id,
    tenantId: view.tenantId,
    name: view.name,
    level: view.level,
    status: view.status,
    parentId: view.parentId,
    ancestorIds: view.ancestorIds,
    governanceForm: view.governanceForm,
    termStart: view.termStart,
    termEnd: view.termEnd,
    version: view.version,
    path: view.path,
    committeeSeats: view.committee,
    statsBase: view.stats,
  };
}

/** The last complete month in the tenant's zone (Asia/Shanghai): dues for it are due. */
export function lastCompletePeriod(now: Date): string {
  return addMonthsToPeriod(dateInZone(now).slice(0, 7), -1);
}

export function toMember(view: MemberView, now: Date): Member {
  return {
    id: view.id,
    unionId: view.unionId,
    status: view.status,
    name: view.name,
    gender: view.gender,
    employeeNo: view.employeeNo,
    cardNumber: view.cardNumber,
    joinedOn: view.joinedOn,
    duesExempt: view.duesExempt,
    consecutiveUnpaidMonths: consecutiveUnpaidMonths(view, lastCompletePeriod(now)),
    lastPaidPeriod: view.lastPaidPeriod,
    version: view.version,
  };
}
