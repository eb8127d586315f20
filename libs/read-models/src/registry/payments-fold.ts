import type { RecordedEvent } from '@app/core';

/** What a run of payments does to a member row: nothing but these three columns move. */
export interface PaymentRow {
  member_id: string;
  /** Latest month paid among the events (null: corrections only). */
  last_paid_period: string | null;
  version: number;
  last_position: number;
}

const PAYMENT_TYPES: ReadonlySet<string> = new Set(['DuesPaid', 'DuesPaymentCorrected']);

const memberOf = (event: RecordedEvent) => (event.data as { memberId: string }).memberId;

/**
 * Splits a batch's member events: members with any other event keep every event for the full
 * fold (a payment may follow their approval in the same batch); members with payments only are
 * coalesced to one row each. Coalescing is safe to replay: the period is a maximum, and version
 * and position are the last event's, written only over an older position.
 */
export function splitPayments(events: readonly RecordedEvent[]): {
  folded: RecordedEvent[];
  paymentsOnly: PaymentRow[];
} {
  const needsFold = new Set<string>();
  for (const e of events) if (!PAYMENT_TYPES.has(e.type)) needsFold.add(memberOf(e));
  const folded: RecordedEvent[] = [];
  const rows = new Map<string, PaymentRow>();
  for (const e of events) {
    const id = memberOf(e);
    if (needsFold.has(id)) {
      folded.push(e);
      continue;
    }
    const period = e.type === 'DuesPaid' ? (e.data as { period: string }).period : null;
    const row = rows.get(id);
    if (!row) {
      rows.set(id, {
        member_id: id,
        last_paid_period: period,
        version: e.streamVersion,
        last_position: e.globalPosition,
      });
      continue;
    }
    if (period !== null && (row.last_paid_period === null || period > row.last_paid_period))
      row.last_paid_period = period;
    row.version = e.streamVersion;
    row.last_position = e.globalPosition;
  }
  return { folded, paymentsOnly: [...rows.values()] };
}

/**
 * The member row as the registry will hold it once it has applied one `DuesPaid` of `period` at
 * stream version `version`, from the row as it was at the version before: the same two columns
 * move as above (latest period, version). Undefined when `before` is not exactly one version
 * behind (another event of the member lies between them, or the registry had not caught up).
 */
export function memberRowAfterPayment<V extends { lastPaidPeriod: string | null; version: number }>(
  before: V,
  payment: { period: string; version: number },
): V | undefined {
  if (before.version !== payment.version - 1) return undefined;
  const last = before.lastPaidPeriod;
  return {
    ...before,
    lastPaidPeriod: last !== null && last > payment.period ? last : payment.period,
    version: payment.version,
  };
}
