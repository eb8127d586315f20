import type { CommitteeRole } from '@app/unions';
import type { PoolClient } from 'pg';
import { startsWith } from '../queries/prefix';
import type { StalledTransfer } from './compliance-alert';

/** One active union of the scope with everything the rules judge, read in one statement. */
export interface ComplianceRow {
  union_id: string;
  parent_id: string | null;
  name: string;
  level: string;
  path: string;
  governance_form: string;
  joint_with: string[];
  organizer_member_id: string | null;
  committee: { memberId: string; roles: CommitteeRole[] }[];
  committee_seats: number;
  women_committee: string[];
  group_leader_id: string | null;
  term_start: string | null;
  term_end: string | null;
  last_meeting_on: string | null;
  established_on: string | null;
  sub_active: number;
  sub_female: number;
  arrears_ids: string[] | null;
  arrears_educated: number | null;
  stalled: StalledTransfer[] | null;
}

export interface ComplianceScope {
  readonly tenantId: string;
  readonly unionId: string;
  /** The union's path; with it the whole subtree is read, without it the union alone. */
  readonly subtreePath: string | null;
  /** The last complete month as a month number (year * 12 + month - 1). */
  readonly lastDueMonth: number;
  readonly arrearsMonths: number;
  /** Transfers requested before this date are stalled. */
  readonly stalledBefore: string;
}

const month = (period: string) =>
  `(left(${period}, 4)::int * 12 + substr(${period}, 6, 2)::int - 1)`;

/**
 * The scope's active unions with, per union, the arrears candidates among its own members (ACTIVE,
 * not exempt, unpaid since max(last paid + 1, liable from) through the last complete month) and
 * the stalled transfers it must act on. One statement, whatever the size of the subtree.
 */
export async function readComplianceScope(
  client: PoolClient,
  scope: ComplianceScope,
): Promise<ComplianceRow[]> {
  const subtree = scope.subtreePath !== null;
  const unionScope = subtree ? startsWith('u.path', '$2') : 'u.union_id = $2';
  const memberScope = subtree ? startsWith('m.union_path', '$2') : 'm.union_id = $2';
  const { rows } = await client.query<ComplianceRow>(
    `WITH scope AS (
       SELECT u.union_id, u.parent_id, u.name, u.level, u.path, u.governance_form, u.joint_with,
              u.organizer_member_id, u.committee, u.committee_seats, u.women_committee,
              u.group_leader_id, u.term_start::text AS term_start, u.term_end::text AS term_end,
              u.last_meeting_on::text AS last_meeting_on, u.established_on::text AS established_on,
              u.sub_active, u.sub_female
         FROM rm_unions u
        WHERE u.tenant_id = $1 AND u.status = 'ACTIVE' AND ${unionScope}
     ), arrears AS (
       SELECT m.union_id, array_agg(m.member_id ORDER BY m.member_id) AS arrears_ids,
              count(m.arrears_educated_on)::int AS arrears_educated
         FROM rm_members m
        WHERE m.tenant_id = $1 AND m.status = 'ACTIVE' AND NOT m.dues_exempt AND ${memberScope}
          AND $3::int - GREATEST(${month('m.last_paid_period')} + 1,
                                 ${month("coalesce(m.dues_liable_from, to_char(m.joined_on, 'YYYY-MM'))")})
              + 1 >= $4::int
        GROUP BY m.union_id
     ), stalled AS (
       SELECT CASE WHEN t.status = 'REQUESTED' THEN t.sending_handler_union_id
                   ELSE t.receiving_handler_union_id END AS union_id,
              jsonb_agg(jsonb_build_object(
                'transferId', t.transfer_id, 'memberId', t.member_id, 'status', t.status,
                'requestedOn', t.requested_on, 'fromUnionId', t.from_union_id,
                'toUnionId', t.to_union_id) ORDER BY t.requested_on, t.transfer_id) AS stalled
         FROM rm_transfers t
        WHERE t.tenant_id = $1 AND t.status IN ('REQUESTED', 'RELEASED') AND t.requested_on < $5::date
        GROUP BY 1
     )
     SELECT s.*, a.arrears_ids, a.arrears_educated, st.stalled
       FROM scope s
       LEFT JOIN arrears a ON a.union_id = s.union_id
       LEFT JOIN stalled st ON st.union_id = s.union_id
      ORDER BY s.path`,
    [
      scope.tenantId,
      subtree ? (scope.subtreePath ?? '/') : scope.unionId,
      scope.lastDueMonth,
      scope.arrearsMonths,
      scope.stalledBefore,
    ],
  );
  return rows;
}
