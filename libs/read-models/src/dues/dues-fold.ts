import type { Period, RecordedEvent } from '@app/core';
import type { MemberEvent } from '@app/unions';
import {
  closeSpans,
  moveSpans,
  payIntoHoles,
  unpaidSince,
  type Hole,
  type Span,
} from './dues-spans';

export type DuesStatus = 'APPLIED' | 'ACTIVE' | 'RETAINED' | 'ENDED';

/** One rm_dues_members row as the projection folds it. */
export interface DuesMemberRow {
  member_id: string;
  union_id: string;
  /** Filled from rm_unions after the fold. */
  union_path: string;
  status: DuesStatus;
  liable_from: Period | null;
  exempt_from: Period | null;
  last_paid_period: Period | null;
  unpaid_since: Period | null;
  spans: Span[];
  last_position: number;
}

/** One rm_dues_ledger row: a paid month. */
export interface LedgerRow {
  member_id: string;
  period: Period;
  /** The union paid through; corrections keep it. */
  union_id: string;
  wage_base_fen: number;
  expected_fen: number;
  paid_fen: number;
  source: 'PAYMENT' | 'PAYROLL';
  paid_on: string;
  corrected_on: string | null;
  corrections: number;
  last_position: number;
}

/** A member's dues as the batch sees them: the row, its holes and the ledger rows loaded. */
export interface MemberDues {
  row: DuesMemberRow | undefined;
  holes: Hole[];
  ledger: Map<Period, LedgerRow>;
  changedPeriods: Set<Period>;
  holesChanged: boolean;
}

/** The event types this projection reads from the member stream. */
export const DUES_MEMBER_EVENT_TYPES: ReadonlySet<string> = new Set<MemberEvent['type']>([
  'MembershipApplied',
  'MembershipApproved',
  'MembershipRejected',
  'MemberImported',
  'DuesPaid',
  'DuesPaymentCorrected',
  'MemberTransferCompleted',
  'MemberWithdrew',
  'AutomaticWithdrawalDeclared',
  'MemberExpelled',
  'InternalRetirementStarted',
  'MembershipRetained',
]);

/** Events that can move liability of months already recorded: the member's whole ledger is read. */
export const SPAN_EVENT_TYPES: ReadonlySet<string> = new Set<MemberEvent['type']>([
  'MembershipApproved',
  'MembershipRejected',
  'MemberTransferCompleted',
  'MemberWithdrew',
  'AutomaticWithdrawalDeclared',
  'MemberExpelled',
  'InternalRetirementStarted',
  'MembershipRetained',
]);

const periodOf = (date: string): Period => date.slice(0, 7);

function ended(row: DuesMemberRow, on: string): DuesMemberRow {
  return { ...row, status: 'ENDED', spans: closeSpans(row.spans, periodOf(on)) };
}

function exempted(row: DuesMemberRow, from: Period, status: DuesStatus): DuesMemberRow {
  return { ...row, status, exempt_from: from, spans: closeSpans(row.spans, from) };
}

function created(d: { memberId: string; unionId: string }): DuesMemberRow {
  return {
    member_id: d.memberId,
    union_id: d.unionId,
    union_path: '',
    status: 'APPLIED',
    liable_from: null,
    exempt_from: null,
    last_paid_period: null,
    unpaid_since: null,
    spans: [],
    last_position: 0,
  };
}

/** Records a payment (or a correction of a month never recorded) in the ledger and the runs. */
function pay(state: MemberDues, row: DuesMemberRow, entry: LedgerRow): DuesMemberRow {
  const existing = state.ledger.get(entry.period);
  state.changedPeriods.add(entry.period);
  if (existing) {
    // the month was recorded already: only the amounts change, it stays where it was paid
    state.ledger.set(entry.period, {
      ...existing,
      wage_base_fen: entry.wage_base_fen,
      expected_fen: entry.expected_fen,
      paid_fen: entry.paid_fen,
      corrected_on: entry.corrected_on ?? entry.paid_on,
      corrections: existing.corrections + 1,
      last_position: entry.last_position,
    });
    return row;
  }
  state.ledger.set(entry.period, entry);
  const holes = payIntoHoles(state.holes, row.liable_from, row.last_paid_period, entry.period);
  // the usual payment (the month after the last) leaves the holes as they were: nothing to write
  if (holes.length !== state.holes.length || holes.some((h, i) => h !== state.holes[i])) {
    state.holes = holes;
    state.holesChanged = true;
  }
  const last =
    row.last_paid_period === null || entry.period > row.last_paid_period
      ? entry.period
      : row.last_paid_period;
  return { ...row, last_paid_period: last };
}

function evolve(state: MemberDues, recorded: RecordedEvent): DuesMemberRow | undefined {
  const event = recorded as unknown as MemberEvent;
  const row = state.row;
  if (event.type === 'MembershipApplied') return row ?? created(event.data);
  if (event.type === 'MemberImported') {
    if (row) return row;
    const d = event.data;
    const exempt = d.duesExempt || d.status === 'RETAINED';
    return {
      ...created(d),
      status: d.status,
      liable_from: d.duesLiableFrom,
      exempt_from: exempt ? d.duesLiableFrom : null,
      spans: exempt ? [] : [{ unionId: d.unionId, from: d.duesLiableFrom, to: null }],
    };
  }
  if (!row) return row;
  const position = recorded.globalPosition;
  switch (event.type) {
    case 'MembershipApproved': {
      const from = periodOf(event.data.joinedOn);
      const spans = [{ unionId: event.data.unionId, from, to: null }];
      return { ...row, status: 'ACTIVE', union_id: event.data.unionId, liable_from: from, spans };
    }
    case 'MembershipRejected':
      return ended(row, event.data.rejectedOn);
    case 'DuesPaid': {
      const d = event.data;
      return pay(state, row, {
        member_id: d.memberId,
        period: d.period,
        union_id: d.unionId,
        wage_base_fen: d.wageBaseFen,
        expected_fen: d.expectedFen,
        paid_fen: d.amountFen,
        source: d.source,
        paid_on: d.paidOn,
        corrected_on: null,
        corrections: 0,
        last_position: position,
      });
    }
    case 'DuesPaymentCorrected': {
      const d = event.data;
      return pay(state, row, {
        member_id: d.memberId,
        period: d.period,
        union_id: d.unionId,
        wage_base_fen: d.wageBaseFen,
        expected_fen: d.expectedFen,
        paid_fen: d.amountFen,
        source: 'PAYMENT',
        paid_on: d.correctedOn,
        corrected_on: d.correctedOn,
        corrections: 0,
        last_position: position,
      });
    }
    case 'MemberTransferCompleted': {
      const d = event.data;
      if (d.toUnionId === null) return ended(row, d.completedOn);
      const spans = moveSpans(row.spans, periodOf(d.completedOn), d.toUnionId);
      return { ...row, union_id: d.toUnionId, spans };
    }
    case 'MemberWithdrew':
      return ended(row, event.data.withdrawnOn);
    case 'AutomaticWithdrawalDeclared':
      return ended(row, event.data.decidedOn);
    case 'MemberExpelled':
      return ended(row, event.data.expelledOn);
    case 'InternalRetirementStarted':
      return exempted(row, event.data.duesExemptFrom, row.status);
    case 'MembershipRetained':
      return exempted(row, event.data.duesExemptFrom, 'RETAINED');
    default:
      return row; // transfers started/cancelled, absence, arrears education: nothing for dues
  }
}

/**
 * Applies one member-stream event to the member's dues, unless the row has seen it already.
 * Returns whether anything was applied.
 */
export function foldDues(state: MemberDues, recorded: RecordedEvent): boolean {
  if (state.row && recorded.globalPosition <= state.row.last_position) return false;
  const next = evolve(state, recorded);
  if (!next) return false;
  state.row = {
    ...next,
    unpaid_since: unpaidSince(next.liable_from, next.last_paid_period),
    last_position: recorded.globalPosition,
  };
  return true;
}
