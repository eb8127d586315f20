import { addMonthsToPeriod, isPeriod, monthsBetween, type Period } from '@app/core';
import { readAs, type ReadSource } from '@app/database';
import type { PoolClient } from 'pg';
import { DuesQueryError } from './dues-query.errors';

/** One month of `duesReport`, rolled up over the union's subtree (GraphQL `DuesPeriod`). */
export interface DuesPeriodRow {
  period: Period;
  /** Dues owed on the declared wage bases of the months paid (after corrections). */
  expectedFen: number;
  paidFen: number;
  payingMembers: number;
  /** Members liable for the month (not exempt, not yet left) who have not paid it. */
  unpaidMembers: number;
}

export const MAX_REPORT_MONTHS = 120;

export function assertPeriod(value: string, field: string): asserts value is Period {
  if (typeof value !== 'string' || !isPeriod(value))
    throw new DuesQueryError('INVALID_PERIOD', { field, value });
}

/** The union's path, or UNION_NOT_FOUND. */
export async function unionPath(client: PoolClient, tenantId: string, unionId: string) {
  const { rows } = await client.query<{ path: string }>(
    'SELECT path FROM rm_unions WHERE tenant_id = $1 AND union_id = $2',
    [tenantId, unionId],
  );
  if (!rows[0]) throw new DuesQueryError('UNION_NOT_FOUND', { unionId });
  return rows[0].path;
}

/**
 * One row per month from `fromPeriod` to `toPeriod`, over the union and everything below it: an
 * indexed read of the union's rows up to `toPeriod` (the liable count is a running sum of the
 * stored differences), months without activity reported as zeros.
 */
export async function duesReport(
  source: ReadSource,
  tenantId: string,
  unionId: string,
  fromPeriod: string,
  toPeriod: string,
): Promise<DuesPeriodRow[]> {
  assertPeriod(fromPeriod, 'fromPeriod');
  assertPeriod(toPeriod, 'toPeriod');
  const months = monthsBetween(fromPeriod, toPeriod) + 1;
  if (months < 1 || months > MAX_REPORT_MONTHS)
    throw new DuesQueryError('INVALID_PERIOD_RANGE', {
      from: fromPeriod,
      to: toPeriod,
      max: MAX_REPORT_MONTHS,
    });
  const periods = Array.from({ length: months }, (_, i) => addMonthsToPeriod(fromPeriod, i));
  return readAs(source, tenantId, async (client) => {
    await unionPath(client, tenantId, unionId);
    const { rows } = await client.query<{
      period: string;
      expected_fen: string;
      paid_fen: string;
      paying: number;
      unpaid: string;
    }>(
      `WITH opening AS (
           SELECT coalesce(sum(sub_liable_delta), 0) AS liable
             FROM rm_dues_union_period
            WHERE tenant_id = $1 AND union_id = $2 AND period < $3
         ), months AS (
           SELECT p.period, coalesce(r.sub_expected_fen, 0) AS expected_fen,
                  coalesce(r.sub_paid_fen, 0) AS paid_fen, coalesce(r.sub_paying, 0) AS paying,
                  coalesce(r.sub_paid_liable, 0) AS paid_liable,
                  sum(coalesce(r.sub_liable_delta, 0)) OVER (ORDER BY p.period) AS liable_change
             FROM unnest($4::text[]) AS p(period)
             LEFT JOIN rm_dues_union_period r
               ON r.tenant_id = $1 AND r.union_id = $2 AND r.period = p.period
         )
         SELECT m.period, m.expected_fen, m.paid_fen, m.paying,
                o.liable + m.liable_change - m.paid_liable AS unpaid
           FROM months m CROSS JOIN opening o
          ORDER BY m.period`,
      [tenantId, unionId, fromPeriod, periods],
    );
    return rows.map((r) => ({
      period: r.period,
      expectedFen: Number(r.expected_fen),
      paidFen: Number(r.paid_fen),
      payingMembers: Number(r.paying),
      unpaidMembers: Number(r.unpaid),
    }));
  });
}

/**
 * One month of `duesReport` for many unions in one statement (the union's figures on a live
 * dashboard, a page of unions): unpaid = the liable count up to the month (the running sum of the
 * stored differences) less those who paid it. A union without dues rows reads as zeros.
 */
export async function duesPeriods(
  source: ReadSource,
  tenantId: string,
  unionIds: readonly string[],
  period: string,
): Promise<Map<string, DuesPeriodRow>> {
  assertPeriod(period, 'period');
  const rows = await readAs(source, tenantId, async (client) => {
    const result = await client.query<{
      union_id: string;
      expected_fen: string;
      paid_fen: string;
      paying: number;
      unpaid: string;
    }>(
      `SELECT u.id AS union_id,
              coalesce(max(r.sub_expected_fen) FILTER (WHERE r.period = $3), 0) AS expected_fen,
              coalesce(max(r.sub_paid_fen) FILTER (WHERE r.period = $3), 0) AS paid_fen,
              coalesce(max(r.sub_paying) FILTER (WHERE r.period = $3), 0) AS paying,
              coalesce(sum(r.sub_liable_delta), 0)
                - coalesce(max(r.sub_paid_liable) FILTER (WHERE r.period = $3), 0) AS unpaid
         FROM unnest($2::text[]) AS u(id)
         LEFT JOIN rm_dues_union_period r
           ON r.tenant_id = $1 AND r.union_id = u.id AND r.period <= $3
        GROUP BY u.id`,
      [tenantId, unionIds, period],
    );
    return result.rows;
  });
  return new Map(
    rows.map((r) => [
      r.union_id,
      {
        period,
        expectedFen: Number(r.expected_fen),
        paidFen: Number(r.paid_fen),
        payingMembers: Number(r.paying),
        unpaidMembers: Number(r.unpaid),
      },
    ]),
  );
}
