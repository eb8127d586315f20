import type { RecordedEvent } from '@app/core';
import type { MemberEvent } from '@app/unions';

export type MemberStatus =
  'APPLIED' | 'ACTIVE' | 'RETAINED' | 'WITHDRAWN' | 'EXPELLED' | 'REJECTED' | 'TRANSFERRED_OUT';

/** One rm_members row as the projection folds it. */
export interface MemberRow {
  member_id: string;
  union_id: string;
  union_path: string;
  status: MemberStatus;
  name: string;
  gender: string;
  employee_no: string;
  card_number: string | null;
  applied_on: string | null;
  joined_on: string | null;
  ended_on: string | null;
  dues_exempt: boolean;
  dues_liable_from: string | null;
  last_paid_period: string | null;
  internal_retirement_on: string | null;
  open_transfer_id: string | null;
  transfer_to_union_id: string | null;
  arrears_educated_on: string | null;
  version: number;
  last_position: number;
}

const periodOf = (date: string) => date.slice(0, 7);
const later = (a: string | null, b: string) => (a !== null && a > b ? a : b);

/**
 * Applies one member event. `effectiveOn` is set when status or union changed (a history row);
 * `pathOf` gives the current path of a union (for transfers).
 */
export function foldMember(
  row: MemberRow | undefined,
  recorded: RecordedEvent,
  pathOf: (unionId: string) => string | undefined,
): { row: MemberRow | undefined; effectiveOn?: string } {
  const event = recorded as unknown as MemberEvent;
  const next = (r: MemberRow, effectiveOn?: string) => ({
    row: { ...r, version: recorded.streamVersion, last_position: recorded.globalPosition },
    ...(effectiveOn ? { effectiveOn } : {}),
  });
  const pathFor = (unionId: string) => {
    const path = pathOf(unionId);
    if (path === undefined)
      throw new Error(`member event names union ${unionId}, which the read model does not know`);
    return path;
  };
  if (event.type === 'MembershipApplied' || event.type === 'MemberImported') {
    if (row) return { row }; // created once
    const d = event.data;
    const base: MemberRow = {
      member_id: d.memberId,
      union_id: d.unionId,
      union_path: pathFor(d.unionId),
      status: 'APPLIED',
      name: d.name,
      gender: d.gender,
      employee_no: d.employeeNo,
      card_number: null,
      applied_on: null,
      joined_on: null,
      ended_on: null,
      dues_exempt: false,
      dues_liable_from: null,
      last_paid_period: null,
      internal_retirement_on: null,
      open_transfer_id: null,
      transfer_to_union_id: null,
      arrears_educated_on: null,
      version: 0,
      last_position: 0,
    };
    if (event.type === 'MembershipApplied')
      return next({ ...base, applied_on: event.data.appliedOn }, event.data.appliedOn);
    const i = event.data;
    return next(
      {
        ...base,
        status: i.status,
        card_number: i.cardNumber,
        joined_on: i.joinedOn,
        dues_exempt: i.duesExempt || i.status === 'RETAINED',
        dues_liable_from: i.duesLiableFrom,
      },
      i.joinedOn,
    );
  }
  if (!row) return { row };
  switch (event.type) {
    case 'MembershipApproved':
      return next(
        {
          ...row,
          status: 'ACTIVE',
          card_number: event.data.cardNumber,
          joined_on: event.data.joinedOn,
          dues_liable_from: periodOf(event.data.joinedOn),
        },
        event.data.joinedOn,
      );
    case 'MembershipRejected':
      return next(
        { ...row, status: 'REJECTED', ended_on: event.data.rejectedOn },
        event.data.rejectedOn,
      );
    case 'DuesPaid':
      return next({ ...row, last_paid_period: later(row.last_paid_period, event.data.period) });
    case 'DuesPaymentCorrected':
    case 'AbsenceRecorded':
      return next(row);
    case 'MemberTransferStarted':
      return next({
        ...row,
        open_transfer_id: event.data.transferId,
        transfer_to_union_id: event.data.toUnionId,
      });
    case 'MemberTransferCancelled':
      return next({ ...row, open_transfer_id: null, transfer_to_union_id: null });
    case 'MemberTransferCompleted': {
      const d = event.data;
      const cleared = { ...row, open_transfer_id: null, transfer_to_union_id: null };
      if (d.toUnionId === null)
        return next(
          { ...cleared, status: 'TRANSFERRED_OUT', ended_on: d.completedOn },
          d.completedOn,
        );
      return next(
        { ...cleared, union_id: d.toUnionId, union_path: pathFor(d.toUnionId) },
        d.completedOn,
      );
    }
    case 'MemberWithdrew':
      return next(
        { ...row, status: 'WITHDRAWN', ended_on: event.data.withdrawnOn },
        event.data.withdrawnOn,
      );
    case 'AutomaticWithdrawalDeclared':
      return next(
        { ...row, status: 'WITHDRAWN', ended_on: event.data.decidedOn },
        event.data.decidedOn,
      );
    case 'MemberExpelled':
      return next(
        { ...row, status: 'EXPELLED', ended_on: event.data.expelledOn },
        event.data.expelledOn,
      );
    case 'ArrearsEducationRecorded':
      return next({ ...row, arrears_educated_on: event.data.educatedOn });
    case 'InternalRetirementStarted':
      return next({ ...row, dues_exempt: true, internal_retirement_on: event.data.startedOn });
    case 'MembershipRetained':
      return next({ ...row, status: 'RETAINED', dues_exempt: true }, event.data.retainedOn);
    default: {
      const unhandled: never = event;
      void unhandled;
      return { row };
    }
  }
}

export const MEMBER_EVENT_TYPES: ReadonlySet<string> = new Set<MemberEvent['type']>([
  'MembershipApplied',
  'MembershipApproved',
  'MembershipRejected',
  'MemberImported',
  'DuesPaid',
  'DuesPaymentCorrected',
  'MemberTransferStarted',
  'MemberTransferCompleted',
  'MemberTransferCancelled',
  'AbsenceRecorded',
  'MemberWithdrew',
  'ArrearsEducationRecorded',
  'AutomaticWithdrawalDeclared',
  'MemberExpelled',
  'InternalRetirementStarted',
  'MembershipRetained',
]);

/** What a member contributes to the roll-ups of the union it counts on. */
export function contribution(row: MemberRow | undefined): {
  active: number;
  female: number;
  retained: number;
} {
  if (!row) return { active: 0, female: 0, retained: 0 };
  const active = row.status === 'ACTIVE' ? 1 : 0;
  return {
    active,
    female: active && row.gender === 'FEMALE' ? 1 : 0,
    retained: row.status === 'RETAINED' ? 1 : 0,
  };
}
