import type { IsoDate } from '@app/core';
import type { UnionLevel } from '../union/union.state';

export type ElectionKind =
  'COMMITTEE' | 'CHAIR' | 'WOMEN_COMMITTEE' | 'GROUP_LEADER' | 'BY_ELECTION';
export const ELECTION_KINDS: readonly ElectionKind[] = [
  'COMMITTEE',
  'CHAIR',
  'WOMEN_COMMITTEE',
  'GROUP_LEADER',
  'BY_ELECTION',
];

export interface Tally {
  readonly memberId: string;
  readonly votes: number;
}

/** Why a held election produced no result; recorded, never a silent pick. */
export type ElectionFailureReason =
  'QUORUM_NOT_REACHED' | 'NO_CANDIDATE_REACHED_THRESHOLD' | 'TIE_AT_LAST_SEAT';

interface CalledData {
  readonly electionId: string;
  readonly unionId: string;
  readonly unionLevel: UnionLevel;
  readonly kind: ElectionKind;
  readonly seats: number;
  readonly expectedVoters: number;
  readonly candidateMemberIds: readonly string[];
  /** COMMITTEE elections only: the term the congress decided (Art. 7). */
  readonly termYears: number | null;
  readonly calledOn: IsoDate;
}

interface HeldData {
  readonly heldOn: IsoDate;
  readonly votersPresent: number;
  readonly tallies: readonly Tally[];
}

export type CalledElection = CalledData & { readonly status: 'CALLED' };
export type ConcludedElection = CalledData &
  HeldData & {
    readonly status: 'CONCLUDED';
    readonly winners: readonly string[];
    readonly unfilledSeats: number;
  };
export type FailedElection = CalledData &
  HeldData & {
    readonly status: 'FAILED';
    readonly reason: ElectionFailureReason;
    readonly tiedMemberIds: readonly string[];
  };
export type ApprovedElection = CalledData &
  HeldData & {
    readonly status: 'APPROVED';
    readonly winners: readonly string[];
    readonly unfilledSeats: number;
    readonly approvedOn: IsoDate;
    readonly approvalRef: string | null;
  };

export type ElectionState =
  | { readonly status: 'NONE' }
  | CalledElection
  | ConcludedElection
  | FailedElection
  | ApprovedElection;
