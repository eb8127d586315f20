import { addMonthsToPeriod, isPeriod, monthsBetween, type Period } from '@app/core';
import { readAs, type ReadSource } from '@app/database';
import { DuesQueryError } from './dues-query.errors';
import { assertPeriod, unionPath } from './dues.queries';
import { startsWith } from '../queries/prefix';

export interface ArrearsCriteria {
  /** At least this many consecutive unpaid months (the tenant's setting, 6 by default). */
  readonly minMonths: number;
  /** The last month counted, usually the last month that has ended. */
  readonly upToPeriod: string;
}

export interface ArrearsPageRequest extends ArrearsCriteria {
  readonly first?: number;
  readonly after?: string | null;
}

/** A member in arrears, with the roster fields the `Member` type shows. */
export interface ArrearsMember {
  memberId: string;
  unionId: string;
  name: string | null;
  gender: string | null;
  employeeNo: string | null;
  cardNumber: string | null;
  joinedOn: string | null;
  lastPaidPeriod: Period | null;
  /** First month of the unpaid run that reaches `upToPeriod`. */
  unpaidSince: Period;
  consecutiveUnpaidMonths: number;
}

export interface ArrearsPage {
  nodes: ArrearsMember[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  totalCount: number;
}

export const MAX_ARREARS_MONTHS = 600;
export const ARREARS_DEFAULT_PAGE_SIZE = 50;
/** Larger requests get this many (as every paged list of the API). */
export const ARREARS_MAX_PAGE_SIZE = 500;

/** The unpaid-run threshold: a run qualifies when it started on or before this month. */
function threshold({ minMonths, upToPeriod }: ArrearsCriteria): Period {
  assertPeriod(upToPeriod, 'upToPeriod');
  if (!Number.isInteger(minMonths) || minMonths < 1 || minMonths > MAX_ARREARS_MONTHS)
    throw new DuesQueryError('INVALID_MIN_MONTHS', { max: MAX_ARREARS_MONTHS });
  return addMonthsToPeriod(upToPeriod, 1 - minMonths);
}

/**
 * Active, non-exempt members under path $2 whose unpaid run started on or before $3 and still
 * ran in $4, in two branches: the trailing run (never paid since) from the partial index on
 * unpaid_since, and a run that a later payment closed from rm_dues_holes (asked about a past
 * month). Each branch may add conditions and an order (`then`). Parameters: $1 tenant, $2 path
 * prefix, $3 threshold, $4 upToPeriod.
 */
const trailingRuns = (then = '') => `
    SELECT m.member_id, m.union_id, m.union_path, m.last_paid_period, m.unpaid_since AS unpaid_from
      FROM rm_dues_members m
     WHERE m.tenant_id = $1 AND m.status = 'ACTIVE' AND m.exempt_from IS NULL
       AND m.unpaid_since <= $3 AND ${startsWith('m.union_path', '$2')}${then}`;
const closedRuns = (then = '') => `
    SELECT m.member_id, m.union_id, m.union_path, m.last_paid_period, h.hole_from
      FROM rm_dues_holes h
      JOIN rm_dues_members m ON m.tenant_id = h.tenant_id AND m.member_id = h.member_id
     WHERE h.tenant_id = $1 AND h.hole_from <= $3 AND h.hole_to >= $4
       AND m.status = 'ACTIVE' AND m.exempt_from IS NULL AND ${startsWith('m.union_path', '$2')}${then}`;

const CANDIDATES = `
  cand AS (${trailingRuns()}
    UNION ALL${closedRuns()}
  )`;

/** A branch's rows after the cursor ($5, $6) in its own order, at most $7 of them. */
const pageOf = (runStart: string) => `
       AND ($5::text IS NULL OR (${runStart}, m.member_id) > ($5::text, $6::text))
     ORDER BY ${runStart}, m.member_id
     LIMIT $7`;

/**
 * One page of CANDIDATES after the cursor ($5, $6), $7 rows: each branch ordered and limited on
 * its own, then merged. Ordered and limited only after the UNION ALL, the planner fetched every
 * candidate's row of the subtree and sorted them (45 ms for the company root at 250,000 members,
 * ~4,400 in arrears); limited per branch, the trailing runs are a walk of the arrears index in
 * order that stops after $7 rows.
 */
const PAGE = `
  page AS (
    SELECT * FROM (
      (${trailingRuns(pageOf('m.unpaid_since'))})
      UNION ALL
      (${closedRuns(pageOf('h.hole_from'))})
    ) c
    ORDER BY c.unpaid_from, c.member_id
    LIMIT $7
  )`;

function encodeCursor(unpaidFrom: string, memberId: string): string {
  return Buffer.from(JSON.stringify([unpaidFrom, memberId])).toString('base64url');
}

function decodeCursor(cursor: string): [Period, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(value) &&
      value.length === 2 &&
      typeof value[0] === 'string' &&
      isPeriod(value[0]) &&
      typeof value[1] === 'string'
    )
      return [value[0], value[1]];
  } catch {
    // falls through to the typed error
  }
  throw new DuesQueryError('INVALID_CURSOR');
}

/**
 * Members of the union's subtree with at least `minMonths` consecutive unpaid months up to
 * `upToPeriod`, longest run first, then by member id; keyset-paged with an opaque cursor.
 */
export async function arrears(
  source: ReadSource,
  tenantId: string,
  unionId: string,
  request: ArrearsPageRequest,
): Promise<ArrearsPage> {
  const since = threshold(request);
  const asked = request.first ?? ARREARS_DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(asked) || asked < 0)
    throw new DuesQueryError('INVALID_PAGE_SIZE', { max: ARREARS_MAX_PAGE_SIZE });
  const first = Math.min(asked, ARREARS_MAX_PAGE_SIZE);
  const after = request.after ? decodeCursor(request.after) : null;
  return readAs(source, tenantId, async (client) => {
    const path = await unionPath(client, tenantId, unionId);
    const params = [tenantId, path, since, request.upToPeriod];
    const { rows } = await client.query<{
      member_id: string;
      union_id: string;
      last_paid_period: string | null;
      unpaid_from: string;
      name: string | null;
      gender: string | null;
      employee_no: string | null;
      card_number: string | null;
      joined_on: string | null;
    }>(
      `WITH ${PAGE}
       -- roster fields for the page only: joined before the limit, the planner may hash every member
       SELECT c.member_id, c.union_id, c.last_paid_period, c.unpaid_from, r.name, r.gender,
              r.employee_no, r.card_number, to_char(r.joined_on, 'YYYY-MM-DD') AS joined_on
         FROM page c
         LEFT JOIN rm_members r ON r.tenant_id = $1 AND r.member_id = c.member_id
        ORDER BY c.unpaid_from, c.member_id`,
      [...params, after?.[0] ?? null, after?.[1] ?? null, first + 1],
    );
    const { rows: counted } = await client.query<{ n: number }>(
      `WITH ${CANDIDATES} SELECT count(*)::int AS n FROM cand`,
      params,
    );
    const page = rows.slice(0, first);
    const last = page.at(-1);
    return {
      nodes: page.map((r) => ({
        memberId: r.member_id,
        unionId: r.union_id,
        name: r.name,
        gender: r.gender,
        employeeNo: r.employee_no,
        cardNumber: r.card_number,
        joinedOn: r.joined_on,
        lastPaidPeriod: r.last_paid_period,
        unpaidSince: r.unpaid_from,
        consecutiveUnpaidMonths: monthsBetween(r.unpaid_from, request.upToPeriod) + 1,
      })),
      pageInfo: {
        hasNextPage: rows.length > first,
        endCursor: last ? encodeCursor(last.unpaid_from, last.member_id) : null,
      },
      totalCount: counted[0]?.n ?? 0,
    };
  });
}

/** Members in arrears under each of the given unions (subtree), one statement for all of them. */
export async function arrearsCounts(
  source: ReadSource,
  tenantId: string,
  unionIds: readonly string[],
  criteria: ArrearsCriteria,
): Promise<Map<string, number>> {
  const since = threshold(criteria);
  const counts = new Map(unionIds.map((id) => [id, 0]));
  if (unionIds.length === 0) return counts;
  const { rows } = await readAs(source, tenantId, (client) =>
    client.query<{ union_id: string; n: number }>(
      `WITH ${CANDIDATES}
         SELECT a.id AS union_id, count(*)::int AS n
           FROM cand c
           CROSS JOIN LATERAL unnest(string_to_array(btrim(c.union_path, '/'), '/')) AS a(id)
          WHERE a.id = ANY($5)
          GROUP BY a.id`,
      [tenantId, '/', since, criteria.upToPeriod, [...unionIds]],
    ),
  );
  for (const r of rows) counts.set(r.union_id, r.n);
  return counts;
}

/** Members in arrears in the union's subtree. */
export async function arrearsCount(
  source: ReadSource,
  tenantId: string,
  unionId: string,
  criteria: ArrearsCriteria,
): Promise<number> {
  const counts = await arrearsCounts(source, tenantId, [unionId], criteria);
  return counts.get(unionId) ?? 0;
}

/**
 * Like arrearsCounts, for the given unions and each of their children (0 where none are in
 * arrears), in one statement: a roll-up shows a union and then its children, and the second
 * level then needs no query of its own.
 */
export async function arrearsCountsWithChildren(
  source: ReadSource,
  tenantId: string,
  unionIds: readonly string[],
  criteria: ArrearsCriteria,
): Promise<Map<string, number>> {
  const since = threshold(criteria);
  const counts = new Map(unionIds.map((id) => [id, 0]));
  if (unionIds.length === 0) return counts;
  const { rows } = await readAs(source, tenantId, (client) =>
    client.query<{ union_id: string; n: number }>(
      `WITH ${CANDIDATES},
       counted AS (
         SELECT a.id, count(*)::int AS n
           FROM cand c
           CROSS JOIN LATERAL unnest(string_to_array(btrim(c.union_path, '/'), '/')) AS a(id)
          GROUP BY a.id
       )
       SELECT u.union_id, coalesce(k.n, 0) AS n
         FROM rm_unions u
         LEFT JOIN counted k ON k.id = u.union_id
        WHERE u.tenant_id = $1 AND (u.union_id = ANY($5) OR u.parent_id = ANY($5))`,
      [tenantId, '/', since, criteria.upToPeriod, [...unionIds]],
    ),
  );
  for (const r of rows) counts.set(r.union_id, r.n);
  return counts;
}
