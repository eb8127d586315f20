import type { Event, IsoDate } from '@app/core';
import type { MajorityRule } from '../tenant-settings/rule-settings';
import type { UnionLevel } from '../union/union.state';
import type { ElectionFailureReason, ElectionKind, Tally } from './election.state';

export type ElectionCalled = Event<
  'ElectionCalled',
  {
    electionId: string;
    unionId: string;
    unionLevel: UnionLevel;
    kind: ElectionKind;
    seats: number;
    expectedVoters: number;
    candidateMemberIds: string[];
    termYears: number | null;
    calledOn: IsoDate;
  }
>;

/**
 * A valid election and its winners. The quorum and the majority rule that judged it are recorded,
 * so later settings changes never re-judge it.
 */
export type ElectionConcluded = Event<
  'ElectionConcluded',
  {
    electionId: string;
    heldOn: IsoDate;
    votersPresent: number;
    /** One per candidate, in candidate order; a candidate without a tally has 0. */
    tallies: Tally[];
    quorum: number;
    majority: MajorityRule;
    votesNeeded: number;
    /** By votes, highest first. */
    winners: string[];
    unfilledSeats: number;
  }
>;

export type ElectionFailed = Event<
  'ElectionFailed',
  {
    electionId: string;
    heldOn: IsoDate;
    votersPresent: number;
    tallies: Tally[];
    quorum: number;
    majority: MajorityRule;
    votesNeeded: number;
    reason: ElectionFailureReason;
    tiedMemberIds: string[];
  }
>;

/** Art. 29: approved by the union one level up; the union then installs the result. */
export type ElectionResultApproved = Event<
  'ElectionResultApproved',
  {
    electionId: string;
    unionId: string;
    kind: ElectionKind;
    seats: number;
    winners: string[];
    termYears: number | null;
    approvedOn: IsoDate;
    /** Reference of an approval from outside the tenant (the company union's own parent). */
    approvalRef: string | null;
  }
>;

export type ElectionEvent =
  ElectionCalled | ElectionConcluded | ElectionFailed | ElectionResultApproved;
