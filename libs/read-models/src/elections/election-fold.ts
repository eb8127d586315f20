import type { RecordedEvent } from '@app/core';
import type { ElectionEvent, ElectionFailureReason, ElectionKind, Tally } from '@app/unions';

export type ElectionStatus = 'CALLED' | 'CONCLUDED' | 'FAILED' | 'APPROVED';

/** One rm_elections row as the projection writes it (union_path and turnout are computed). */
export interface ElectionRow {
  election_id: string;
  union_id: string;
  union_level: string;
  kind: ElectionKind;
  status: ElectionStatus;
  seats: number;
  expected_voters: number;
  candidate_member_ids: string[];
  term_years: number | null;
  called_on: string;
  held_on: string | null;
  voters_present: number | null;
  quorum: number | null;
  votes_needed: number | null;
  tallies: Tally[];
  winners: string[];
  unfilled_seats: number | null;
  failure_reason: ElectionFailureReason | null;
  tied_member_ids: string[];
  approved_on: string | null;
  approval_ref: string | null;
  last_position: number;
}

export const ELECTION_EVENT_TYPES: ReadonlySet<string> = new Set<ElectionEvent['type']>([
  'ElectionCalled',
  'ElectionConcluded',
  'ElectionFailed',
  'ElectionResultApproved',
]);

/**
 * Applies one election event with the same transitions as the election decider's evolve (a
 * result only on a CALLED election, approval only of a CONCLUDED one), keeping the figures the
 * decider recorded (quorum, votes needed) so a later settings change never re-judges a result.
 */
export function foldElection(
  row: ElectionRow | undefined,
  recorded: RecordedEvent,
): ElectionRow | undefined {
  const event = recorded as unknown as ElectionEvent;
  const position = recorded.globalPosition;
  if (event.type === 'ElectionCalled') {
    if (row) return undefined; // an election is called once
    const d = event.data;
    return {
      election_id: d.electionId,
      union_id: d.unionId,
      union_level: d.unionLevel,
      kind: d.kind,
      status: 'CALLED',
      seats: d.seats,
      expected_voters: d.expectedVoters,
      candidate_member_ids: [...d.candidateMemberIds],
      term_years: d.termYears,
      called_on: d.calledOn,
      held_on: null,
      voters_present: null,
      quorum: null,
      votes_needed: null,
      tallies: [],
      winners: [],
      unfilled_seats: null,
      failure_reason: null,
      tied_member_ids: [],
      approved_on: null,
      approval_ref: null,
      last_position: position,
    };
  }
  if (!row) return undefined;
  switch (event.type) {
    case 'ElectionConcluded':
    case 'ElectionFailed': {
      if (row.status !== 'CALLED') return undefined;
      const d = event.data;
      const held = {
        ...row,
        held_on: d.heldOn,
        voters_present: d.votersPresent,
        quorum: d.quorum,
        votes_needed: d.votesNeeded,
        tallies: d.tallies.map((t) => ({ memberId: t.memberId, votes: t.votes })),
        last_position: position,
      };
      return event.type === 'ElectionConcluded'
        ? {
            ...held,
            status: 'CONCLUDED',
            winners: [...event.data.winners],
            unfilled_seats: event.data.unfilledSeats,
          }
        : {
            ...held,
            status: 'FAILED',
            failure_reason: event.data.reason,
            tied_member_ids: [...event.data.tiedMemberIds],
          };
    }
    case 'ElectionResultApproved':
      if (row.status !== 'CONCLUDED') return undefined;
      return {
        ...row,
        status: 'APPROVED',
        approved_on: event.data.approvedOn,
        approval_ref: event.data.approvalRef,
        last_position: position,
      };
    default: {
      const unhandled: never = event;
      void unhandled;
      return undefined;
    }
  }
}
