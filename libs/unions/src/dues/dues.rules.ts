import { addMonthsToPeriod, isPeriod, type IsoDate, type Period } from '@app/core';
import { duesError, type DuesErrorCode } from './dues.errors';

/**
 * Tenant-changeable dues settings. The national rule (the default) is 0.5 % of the monthly wage
 * base with the part below CNY 10 dropped: `{ rateBasisPoints: 50, baseStepFen: 1000 }`.
 */
export interface DuesRules {
  /** Rate in basis points (1/10,000) of the floored base: 50 = 0.5 %. */
  readonly rateBasisPoints: number;
  /** The base is floored to a whole multiple of this many fen: 1000 = CNY 10. */
  readonly baseStepFen: number;
}

/** The part of the tenant's membership rules that dues decisions read. */
export interface DuesCalendarRules {
  readonly dues: DuesRules;
  /** The tenant's offset from UTC (Asia/Shanghai: 480), for "period not in the future". */
  readonly utcOffsetMinutes: number;
}

export const NATIONAL_DUES_RULES: DuesRules = { rateBasisPoints: 50, baseStepFen: 1000 };

/**
 * CNY 100 million a month. Keeps `base × rate + 5000` far below 2^53, so every step below is
 * exact integer arithmetic on JavaScript numbers.
 */
export const MAX_WAGE_BASE_FEN = 10_000_000_000;
const BASIS = 10_000;

export function assertDuesRules(rules: DuesRules): void {
  const rateOk =
    Number.isInteger(rules.rateBasisPoints) &&
    rules.rateBasisPoints >= 0 &&
    rules.rateBasisPoints <= BASIS;
  const stepOk =
    Number.isInteger(rules.baseStepFen) &&
    rules.baseStepFen >= 1 &&
    rules.baseStepFen <= MAX_WAGE_BASE_FEN;
  if (!rateOk || !stepOk) throw duesError('INVALID_DUES_RULES');
}

export function isFenAmount(value: unknown): value is number {
  return (
    typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= MAX_WAGE_BASE_FEN
  );
}

/** `floor(base / step) × step`: CNY 3,459.99 → CNY 3,450.00 (345999 fen → 345000 fen). */
export function flooredWageBaseFen(wageBaseFen: number, rules: DuesRules): number {
  return wageBaseFen - (wageBaseFen % rules.baseStepFen);
}

/**
 * Expected monthly dues in fen: the floored base times the rate, rounded half up at the fen.
 * Integer only: `q = floored × bp + 5000; (q − q mod 10000) / 10000`, which is exact because
 * every operand stays a safe integer (no float division is ever rounded).
 * 567,890 fen → 567,000 fen → 2,835 fen; 345,999 fen → 345,000 fen → 1,725 fen.
 */
export function expectedDuesFen(wageBaseFen: number, rules: DuesRules): number {
  const scaled = flooredWageBaseFen(wageBaseFen, rules) * rules.rateBasisPoints + BASIS / 2;
  return (scaled - (scaled % BASIS)) / BASIS;
}

export function periodOf(date: IsoDate): Period {
  return date.slice(0, 7);
}

/**
 * A member's compact dues ledger, kept in the member's state and mirrored by the dues read model.
 * `liableFrom`: first month counted for arrears (the joining month, or for an imported member the
 * month after the dues it brought along). `exemptFrom`: first exempt month (retained membership or
 * internal early retirement), null while liable.
 */
export interface DuesLedger {
  readonly liableFrom: Period;
  readonly exemptFrom: Period | null;
  /** Period → amount in fen (after corrections). */
  readonly paid: Readonly<Record<Period, number>>;
}

export interface UnpaidStreak {
  /** Consecutive unpaid months ending with the last month due on the date. */
  readonly months: number;
  /** The first month of the streak, null when nothing is unpaid. */
  readonly since: Period | null;
}

/**
 * Consecutive unpaid months as of a date. A month is due once it has ended, so on 2025-07-15 the
 * last due month is 2025-06 (this month's payroll may still come). Months before `liableFrom` do
 * not count; an exempt member is never in arrears.
 */
export function unpaidStreak(ledger: DuesLedger, asOf: IsoDate): UnpaidStreak {
  if (ledger.exemptFrom !== null) return { months: 0, since: null };
  let period = addMonthsToPeriod(periodOf(asOf), -1);
  let months = 0;
  while (period >= ledger.liableFrom && ledger.paid[period] === undefined) {
    months += 1;
    period = addMonthsToPeriod(period, -1);
  }
  return { months, since: months === 0 ? null : addMonthsToPeriod(period, 1) };
}

/** What a payment check needs to know about the member; read set-based for payroll imports. */
export interface DuesPaymentFacts {
  readonly standing: 'MEMBER' | 'NOT_APPROVED' | 'ENDED';
  /** The month the member joined: nothing is due before it. */
  readonly joinedPeriod: Period;
  readonly exemptFrom: Period | null;
  readonly periodAlreadyPaid: boolean;
}

export interface DuesPaymentInput {
  readonly period: Period;
  readonly wageBaseFen: number;
  /** When given it must equal the expected dues; when absent the expected dues are recorded. */
  readonly amountFen?: number | null;
}

export type DuesPaymentCheck =
  | { readonly ok: true; readonly expectedFen: number; readonly amountFen: number }
  | { readonly ok: false; readonly code: DuesErrorCode; readonly expectedFen: number | null };

/**
 * The per-payment rules shared by single payments and payroll rows, in a fixed order so both
 * report the same reason. The period itself (format, not in the future) is checked by the caller.
 */
export function checkDuesPayment(
  facts: DuesPaymentFacts,
  payment: DuesPaymentInput,
  rules: DuesRules,
): DuesPaymentCheck {
  const fail = (code: DuesErrorCode, expectedFen: number | null = null): DuesPaymentCheck => ({
    ok: false,
    code,
    expectedFen,
  });
  if (facts.standing === 'NOT_APPROVED') return fail('MEMBERSHIP_NOT_APPROVED');
  if (facts.standing === 'ENDED') return fail('MEMBERSHIP_ENDED');
  if (payment.period < facts.joinedPeriod) return fail('PERIOD_BEFORE_JOINING');
  if (facts.exemptFrom !== null && payment.period >= facts.exemptFrom) return fail('DUES_EXEMPT');
  if (!isFenAmount(payment.wageBaseFen)) return fail('INVALID_WAGE_BASE');
  const givenFen = payment.amountFen ?? null;
  if (givenFen !== null && !isFenAmount(givenFen)) return fail('INVALID_WAGE_BASE');
  const expectedFen = expectedDuesFen(payment.wageBaseFen, rules);
  if (facts.periodAlreadyPaid) return fail('DUES_ALREADY_PAID', expectedFen);
  const amountFen = givenFen ?? expectedFen;
  if (amountFen !== expectedFen) return fail('DUES_AMOUNT_MISMATCH', expectedFen);
  return { ok: true, expectedFen, amountFen };
}

/** Format and "not in the future" checks for a period, against the business date of the request. */
export function assertPayablePeriod(period: string, today: IsoDate): void {
  if (!isPeriod(period)) throw duesError('INVALID_PERIOD');
  if (period > periodOf(today)) throw duesError('PERIOD_IN_FUTURE', { period });
}
