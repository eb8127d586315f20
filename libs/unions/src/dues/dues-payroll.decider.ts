import { dateInZone, isIsoDate, streamId } from '@app/core';
import type { ImportDuesPayroll, PayrollMemberFacts } from './dues-payroll.commands';
import { duesError, duesErrorMessage, type DuesErrorCode } from './dues.errors';
import type { DuesPaid, DuesPayrollImported } from './dues.events';
import { assertDuesRules, assertPayablePeriod, checkDuesPayment, isFenAmount } from './dues.rules';

export const MAX_PAYROLL_ROWS = 500_000;

export interface PayrollAcceptedRow {
  /** 1-based, as in the file the officer uploaded. */
  readonly rowNumber: number;
  readonly memberId: string;
  /** Append to `member-<memberId>` expecting this version, so a concurrent payment conflicts. */
  readonly expectedVersion: number;
  readonly event: DuesPaid;
}

export interface PayrollRejectedRow {
  readonly rowNumber: number;
  readonly memberId: string | null;
  readonly reason: DuesErrorCode;
  readonly message: { readonly en: string; readonly zh: string };
}

export interface DuesPayrollDecision {
  readonly accepted: readonly PayrollAcceptedRow[];
  readonly rejected: readonly PayrollRejectedRow[];
  readonly totalFen: number;
  /** Appended to `dues-payroll-<unionId>-<period>` only when something was accepted. */
  readonly summary: DuesPayrollImported | null;
}

export const duesPayrollStreamId = (unionId: string, period: string): string =>
  streamId('dues-payroll', `${unionId}-${period}`);

/**
 * Validates a whole payroll row by row. The command as a whole is rejected (thrown) only when it
 * cannot be read at all (period, date, rules, authority, size); a bad row is reported with its
 * number and reason while the good rows go on. Rows for members already paid for the period are
 * rejected as DUES_ALREADY_PAID, so importing the same payroll twice appends nothing the second
 * time. O(rows) with one map lookup per row.
 */
export function decideDuesPayroll(command: ImportDuesPayroll): DuesPayrollDecision {
  const { data, metadata } = command;
  assertDuesRules(data.rules.dues);
  if (!data.actsForUnionIds.includes(data.unionId)) throw duesError('NOT_AUTHORISED_FOR_DUES');
  if (data.rows.length > MAX_PAYROLL_ROWS) {
    throw duesError('PAYROLL_TOO_LARGE', { maxRows: MAX_PAYROLL_ROWS });
  }
  const today = dateInZone(metadata.now, data.rules.utcOffsetMinutes);
  assertPayablePeriod(data.period, today);
  if (!isIsoDate(data.paidOn) || data.paidOn > today) throw duesError('INVALID_PAYMENT_DATE');

  const accepted: PayrollAcceptedRow[] = [];
  const rejected: PayrollRejectedRow[] = [];
  const seen = new Set<string>();
  let totalFen = 0;

  data.rows.forEach((row, index) => {
    const rowNumber = index + 1;
    const memberId = typeof row.memberId === 'string' && row.memberId !== '' ? row.memberId : null;
    const reject = (reason: DuesErrorCode, expectedFen: number | null = null): void => {
      const details = {
        period: data.period,
        amountFen: row.amountFen ?? null,
        expectedFen,
      };
      rejected.push({ rowNumber, memberId, reason, message: duesErrorMessage(reason, details) });
    };
    if (memberId === null) return reject('UNKNOWN_MEMBER');
    if (seen.has(memberId)) return reject('DUPLICATE_ROW');
    seen.add(memberId);
    const facts: PayrollMemberFacts | undefined = data.members.get(memberId);
    if (facts === undefined) return reject('UNKNOWN_MEMBER');
    if (facts.standing === 'MEMBER' && !facts.unionPath.includes(data.unionId)) {
      return reject('WRONG_UNION_SUBTREE');
    }
    if (!isFenAmount(row.wageBaseFen)) return reject('INVALID_WAGE_BASE');
    const check = checkDuesPayment(facts, { ...row, period: data.period }, data.rules.dues);
    if (!check.ok) return reject(check.code, check.expectedFen);
    totalFen += check.amountFen;
    accepted.push({
      rowNumber,
      memberId,
      expectedVersion: facts.streamVersion,
      event: {
        type: 'DuesPaid',
        data: {
          memberId,
          unionId: facts.unionPath[facts.unionPath.length - 1] ?? data.unionId,
          period: data.period,
          wageBaseFen: row.wageBaseFen,
          expectedFen: check.expectedFen,
          amountFen: check.amountFen,
          paidOn: data.paidOn,
          source: 'PAYROLL',
        },
      },
    });
  });

  const summary: DuesPayrollImported | null =
    accepted.length === 0
      ? null
      : {
          type: 'DuesPayrollImported',
          data: {
            unionId: data.unionId,
            period: data.period,
            paidOn: data.paidOn,
            rows: data.rows.length,
            accepted: accepted.length,
            rejected: rejected.length,
            totalFen,
          },
        };
  return { accepted, rejected, totalFen, summary };
}
