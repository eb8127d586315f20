import type { IsoDate } from '@app/core';
import type { ElectionFailureReason, ElectionKind, Tally } from '@app/unions';
import type { PoolClient } from 'pg';
import type { ElectionStatus } from './election-fold';

/** What the contract's `Election` needs, with the turnout and the figures that judged it. */
export interface ElectionView {
  readonly id: string;
  readonly unionId: string;
  readonly kind: ElectionKind;
  readonly status: ElectionStatus;
  readonly seats: number;
  readonly expectedVoters: number;
  readonly votersPresent: number | null;
  /** votersPresent / expectedVoters, 4 decimals; null until the election is held. */
  readonly turnout: number | null;
  readonly quorum: number | null;
  readonly votesNeeded: number | null;
  readonly candidateMemberIds: readonly string[];
  readonly tallies: readonly Tally[];
  readonly winners: readonly string[];
  readonly unfilledSeats: number | null;
  readonly failureReason: ElectionFailureReason | null;
  readonly tiedMemberIds: readonly string[];
  readonly termYears: number | null;
  readonly calledOn: IsoDate;
  readonly heldOn: IsoDate | null;
  readonly approvedOn: IsoDate | null;
}

interface Row {
  election_id: string;
  union_id: string;
  kind: ElectionKind;
  status: ElectionStatus;
  seats: number;
  expected_voters: number;
  voters_present: number | null;
  turnout: string | null;
  quorum: number | null;
  votes_needed: number | null;
  candidate_member_ids: string[];
  tallies: Tally[];
  winners: string[];
  unfilled_seats: number | null;
  failure_reason: ElectionFailureReason | null;
  tied_member_ids: string[];
  term_years: number | null;
  called_on: string;
  held_on: string | null;
  approved_on: string | null;
}

const COLUMNS = `election_id, union_id, kind, status, seats, expected_voters, voters_present,
  turnout, quorum, votes_needed, candidate_member_ids, tallies, winners, unfilled_seats,
  failure_reason, tied_member_ids, term_years, called_on::text AS called_on,
  held_on::text AS held_on, approved_on::text AS approved_on`;

const toView = (r: Row): ElectionView => ({
  id: r.election_id,
  unionId: r.union_id,
  kind: r.kind,
  status: r.status,
  seats: r.seats,
  expectedVoters: r.expected_voters,
  votersPresent: r.voters_present,
  turnout: r.turnout === null ? null : Number(r.turnout),
  quorum: r.quorum,
  votesNeeded: r.votes_needed,
  candidateMemberIds: r.candidate_member_ids,
  tallies: r.tallies,
  winners: r.winners,
  unfilledSeats: r.unfilled_seats,
  failureReason: r.failure_reason,
  tiedMemberIds: r.tied_member_ids,
  termYears: r.term_years,
  calledOn: r.called_on,
  heldOn: r.held_on,
  approvedOn: r.approved_on,
});

export async function electionById(
  client: PoolClient,
  tenantId: string,
  electionId: string,
): Promise<ElectionView | null> {
  const { rows } = await client.query<Row>(
    `SELECT ${COLUMNS} FROM rm_elections WHERE tenant_id = $1 AND election_id = $2`,
    [tenantId, electionId],
  );
  return rows[0] ? toView(rows[0]) : null;
}

/** A union's elections, most recently called first (optionally one status). */
export async function electionsOfUnion(
  client: PoolClient,
  tenantId: string,
  unionId: string,
  options: { status?: ElectionStatus; limit?: number } = {},
): Promise<ElectionView[]> {
  const { rows } = await client.query<Row>(
    `SELECT ${COLUMNS} FROM rm_elections
      WHERE tenant_id = $1 AND union_id = $2 AND ($3::text IS NULL OR status = $3)
      ORDER BY called_on DESC, election_id LIMIT $4`,
    [tenantId, unionId, options.status ?? null, Math.min(Math.max(options.limit ?? 50, 1), 500)],
  );
  return rows.map(toView);
}
