import { addMonthsToPeriod, type Period } from '@app/core';

/** Months a member is liable for dues while counting on one union: [from, to), to null = open. */
export interface Span {
  readonly unionId: string;
  readonly from: Period;
  readonly to: Period | null;
}

/** An unpaid run that a later payment closed: [from, to], both inclusive. */
export interface Hole {
  readonly from: Period;
  readonly to: Period;
}

export const nextPeriod = (p: Period): Period => addMonthsToPeriod(p, 1);
export const previousPeriod = (p: Period): Period => addMonthsToPeriod(p, -1);
const max = (a: Period, b: Period): Period => (a > b ? a : b);

/** Liability stops at `at`: months from `at` on are no longer due (exit, exemption). */
export function closeSpans(spans: readonly Span[], at: Period): Span[] {
  return spans
    .filter((s) => s.from < at)
    .map((s) => (s.to === null || s.to > at ? { ...s, to: at } : s));
}

/** Months from `at` on count on `unionId` (a completed transfer); earlier months stay. */
export function moveSpans(spans: readonly Span[], at: Period, unionId: string): Span[] {
  const moved: Span[] = [];
  for (const s of spans) {
    if (s.from >= at) moved.push({ ...s, unionId });
    else if (s.to === null || s.to > at)
      moved.push({ ...s, to: at }, { unionId, from: at, to: s.to });
    else moved.push(s);
  }
  // join neighbours on the same union (a transfer back and forth within one month)
  return moved.reduce<Span[]>((out, s) => {
    const last = out.at(-1);
    if (last && last.unionId === s.unionId && last.to === s.from)
      out[out.length - 1] = { ...last, to: s.to };
    else out.push(s);
    return out;
  }, []);
}

/** The union a month counted on, or undefined when the member was not liable that month. */
export function spanUnion(spans: readonly Span[], period: Period): string | undefined {
  return spans.find((s) => s.from <= period && (s.to === null || period < s.to))?.unionId;
}

/**
 * Records a payment for `period` in the unpaid runs: paying past the last paid month leaves the
 * months in between as a hole; paying inside a hole splits it. Months before `liableFrom` are
 * never part of a hole.
 */
export function payIntoHoles(
  holes: readonly Hole[],
  liableFrom: Period | null,
  lastPaid: Period | null,
  period: Period,
): Hole[] {
  if (lastPaid === null || period > lastPaid) {
    if (liableFrom === null) return [...holes];
    const from = lastPaid === null ? liableFrom : max(liableFrom, nextPeriod(lastPaid));
    const to = previousPeriod(period);
    return from <= to ? [...holes, { from, to }] : [...holes];
  }
  const out: Hole[] = [];
  for (const h of holes) {
    if (period < h.from || period > h.to) {
      out.push(h);
      continue;
    }
    if (h.from < period) out.push({ from: h.from, to: previousPeriod(period) });
    if (period < h.to) out.push({ from: nextPeriod(period), to: h.to });
  }
  return out;
}

/** First month of the trailing unpaid run, or null when the member is not liable. */
export function unpaidSince(liableFrom: Period | null, lastPaid: Period | null): Period | null {
  if (liableFrom === null) return null;
  return lastPaid === null ? liableFrom : max(liableFrom, nextPeriod(lastPaid));
}
