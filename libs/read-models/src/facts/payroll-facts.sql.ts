import type { Period } from '@app/core';
import { memberStreamId, type PayrollMemberFacts } from '@app/unions';
import type { PoolClient } from 'pg';
import { DUES_MEMBER_EVENT_TYPES } from '../dues/dues-fold';
import { pathIds, periodOf } from './facts-sql';

/**
 * The expected version given for a member whose dues row has not caught up with its registry row:
 * no member stream is at version 0 ("no stream"), so the append conflicts and the payroll handler
 * re-judges that batch from the member streams themselves.
 */
export const STALE_STREAM_VERSION = 0;

interface PayrollRow {
  member_id: string;
  status: string;
  applied_on: string | null;
  joined_on: string | null;
  ended_on: string | null;
  union_path: string;
  version: number;
  dues_stale: boolean;
  exempt_from: string | null;
  paid: boolean;
}

/**
 * One statement for a chunk of member ids. Standing, joining month, union path and stream version
 * come from rm_members; the exemption and "already paid for `period`" from the dues model. The
 * two are projections of the same member stream and may stand at different points of it: when
 * the member stream holds an event the dues model folds that is later than the dues row (a
 * payment it has not seen yet: the facts would mix two versions of the member), the version is
 * reported as STALE_STREAM_VERSION, so the append cannot go through on them. The check reads the
 * stream's own rows (primary key) only for members whose two rows stand at different positions.
 * A member known to the registry but absent from the dues model counts as stale too.
 */
export async function payrollChunk(
  client: PoolClient,
  tenantId: string,
  period: Period,
  memberIds: readonly string[],
): Promise<[string, PayrollMemberFacts][]> {
  const { rows } = await client.query<PayrollRow>(
    `SELECT m.member_id, m.status, m.applied_on::text, m.joined_on::text, m.ended_on::text,
            m.union_path, m.version, d.exempt_from,
            EXISTS (SELECT 1 FROM rm_dues_ledger l
                     WHERE l.tenant_id = m.tenant_id AND l.member_id = m.member_id
                       AND l.period = $3) AS paid,
            CASE WHEN d.member_id IS NULL THEN true
                 WHEN d.last_position >= m.last_position THEN false
                 ELSE EXISTS (SELECT 1 FROM events e
                               WHERE e.tenant_id = m.tenant_id AND e.stream_id = $4 || m.member_id
                                 AND e.global_position > d.last_position
                                 AND e.type = ANY($5::text[]))
            END AS dues_stale
       FROM rm_members m
       LEFT JOIN rm_dues_members d ON d.tenant_id = m.tenant_id AND d.member_id = m.member_id
      WHERE m.tenant_id = $1 AND m.member_id = ANY($2::text[])`,
    [tenantId, memberIds, period, memberStreamId(''), [...DUES_MEMBER_EVENT_TYPES]],
  );
  return rows.map((row) => [row.member_id, factsOf(row)]);
}

function factsOf(row: PayrollRow): PayrollMemberFacts {
  const unionPath = pathIds(row.union_path);
  const streamVersion = row.dues_stale ? STALE_STREAM_VERSION : row.version;
  const month = (date: string | null) => periodOf(date ?? '0000-00');
  switch (row.status) {
    case 'APPLIED':
      return {
        standing: 'NOT_APPROVED',
        joinedPeriod: month(row.applied_on),
        exemptFrom: null,
        periodAlreadyPaid: false,
        unionPath,
        streamVersion,
      };
    case 'ACTIVE':
    case 'RETAINED':
      return {
        standing: 'MEMBER',
        joinedPeriod: month(row.joined_on),
        exemptFrom: row.exempt_from,
        periodAlreadyPaid: row.paid,
        unionPath,
        streamVersion,
      };
    default:
      return {
        standing: 'ENDED',
        joinedPeriod: month(row.ended_on),
        exemptFrom: null,
        periodAlreadyPaid: false,
        unionPath,
        streamVersion,
      };
  }
}
