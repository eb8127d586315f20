import type { Period } from '@app/core';
import type { DuesMemberRow, LedgerRow } from './dues-fold';
import { spanUnion, type Span } from './dues-spans';

/** The change of one union's figures for one month, before it is spread over the ancestors. */
export interface PeriodDelta {
  union_id: string;
  period: Period;
  paying: number;
  paid_fen: number;
  expected_fen: number;
  /** Difference array of liable members (see the migration). */
  liable: number;
  paid_liable: number;
}

type Field = Exclude<keyof PeriodDelta, 'union_id' | 'period'>;

/** Sums deltas per (union, month) and drops the ones that cancel out. */
export class DeltaSink {
  /** Per union, per month: two lookups instead of a joined key built per call (a hot path). */
  private readonly deltas = new Map<string, Map<Period, PeriodDelta>>();

  add(unionId: string, period: Period, field: Field, amount: number): void {
    if (amount === 0) return;
    let months = this.deltas.get(unionId);
    if (!months) {
      months = new Map();
      this.deltas.set(unionId, months);
    }
    let delta = months.get(period);
    if (!delta) {
      delta = {
        union_id: unionId,
        period,
        paying: 0,
        paid_fen: 0,
        expected_fen: 0,
        liable: 0,
        paid_liable: 0,
      };
      months.set(period, delta);
    }
    delta[field] += amount;
  }

  /** Adds (sign +1) or removes (sign -1) a member's liability spans. */
  spans(spans: readonly Span[], sign: 1 | -1): void {
    for (const s of spans) {
      this.add(s.unionId, s.from, 'liable', sign);
      if (s.to !== null) this.add(s.unionId, s.to, 'liable', -sign);
    }
  }

  /** Adds or removes ledger rows: paying figures where paid, paid_liable where liable. */
  ledger(rows: Iterable<LedgerRow>, spans: readonly Span[], sign: 1 | -1): void {
    for (const r of rows) {
      this.add(r.union_id, r.period, 'paying', sign);
      this.add(r.union_id, r.period, 'paid_fen', sign * r.paid_fen);
      this.add(r.union_id, r.period, 'expected_fen', sign * r.expected_fen);
      const liableOn = spanUnion(spans, r.period);
      if (liableOn !== undefined) this.add(liableOn, r.period, 'paid_liable', sign);
    }
  }

  list(): PeriodDelta[] {
    return [...this.deltas.values()]
      .flatMap((months) => [...months.values()])
      .filter((d) => d.paying || d.paid_fen || d.expected_fen || d.liable || d.paid_liable);
  }

  unionIds(): Set<string> {
    return new Set(this.list().map((d) => d.union_id));
  }
}

/**
 * The change one member's batch made to the roll-ups: the member's old spans and old ledger rows
 * (those loaded) come out, the new ones go in. Ledger rows not loaded did not change and their
 * liability did not move (a member whose spans may move has its whole ledger loaded).
 */
export function memberDeltas(
  sink: DeltaSink,
  before: { row: DuesMemberRow | undefined; ledger: ReadonlyMap<Period, LedgerRow> },
  after: { row: DuesMemberRow; ledger: ReadonlyMap<Period, LedgerRow> },
): void {
  const oldSpans = before.row?.spans ?? [];
  // the fold keeps the same array when liability did not move (a payment): the two cancel out
  if (oldSpans !== after.row.spans) {
    sink.spans(oldSpans, -1);
    sink.spans(after.row.spans, 1);
  }
  sink.ledger(before.ledger.values(), oldSpans, -1);
  sink.ledger(after.ledger.values(), after.row.spans, 1);
}
