import type { Event, IsoDate } from '@app/core';
import type { CommitteeRole, ElectingBody, GovernanceForm, UnionLevel } from './union.state';

/** Established directly: the COMPANY union at provisioning, or by an officer of the parent (Art. 5). */
export type UnionEstablished = Event<
  'UnionEstablished',
  {
    unionId: string;
    name: string;
    level: UnionLevel;
    parentId: string | null;
    establishedOn: IsoDate;
  }
>;

export type UnionEstablishmentRequested = Event<
  'UnionEstablishmentRequested',
  { unionId: string; name: string; level: UnionLevel; parentId: string; requestedOn: IsoDate }
>;

export type UnionEstablishmentApproved = Event<
  'UnionEstablishmentApproved',
  { unionId: string; parentId: string; approvedOn: IsoDate }
>;

export type UnionEstablishmentRejected = Event<
  'UnionEstablishmentRejected',
  { unionId: string; parentId: string; rejectedOn: IsoDate; reason: string }
>;

export type GovernanceFormSet = Event<
  'GovernanceFormSet',
  {
    unionId: string;
    form: GovernanceForm;
    jointWithUnionIds: string[];
    organizerMemberId: string | null;
    /** Active members when decided: the Art. 6 threshold was judged on this count. */
    activeMembers: number;
    effectiveOn: IsoDate;
  }
>;

/** The approved result of a COMMITTEE election: a new committee and a new term (Art. 7, 8, 29). */
export type CommitteeElected = Event<
  'CommitteeElected',
  {
    unionId: string;
    electionId: string;
    seats: number;
    memberIds: string[];
    termYears: number;
    termStart: IsoDate;
    termEnd: IsoDate;
  }
>;

export type ChairElected = Event<
  'ChairElected',
  { unionId: string; electionId: string; memberId: string; electedOn: IsoDate }
>;

/** A by-election filled vacancies (Art. 8). */
export type CommitteeVacancyFilled = Event<
  'CommitteeVacancyFilled',
  { unionId: string; electionId: string; memberIds: string[]; electedOn: IsoDate }
>;

export type WomenCommitteeElected = Event<
  'WomenCommitteeElected',
  { unionId: string; electionId: string; memberIds: string[]; electedOn: IsoDate }
>;

export type GroupLeaderElected = Event<
  'GroupLeaderElected',
  { unionId: string; electionId: string; memberId: string; electedOn: IsoDate }
>;

/** The full portfolio map; the CHAIR role is kept from the chair election. */
export type CommitteeRolesAssigned = Event<
  'CommitteeRolesAssigned',
  {
    unionId: string;
    assignments: { memberId: string; roles: CommitteeRole[] }[];
    decidedOn: IsoDate;
  }
>;

export type TermExtended = Event<
  'TermExtended',
  {
    unionId: string;
    months: number;
    special: boolean;
    approvalRef: string;
    previousEnd: IsoDate;
    newEnd: IsoDate;
    decidedOn: IsoDate;
  }
>;

export type CommitteeMemberRecalled = Event<
  'CommitteeMemberRecalled',
  {
    unionId: string;
    memberId: string;
    decidedBy: ElectingBody;
    resolutionRef: string;
    votesFor: number;
    votersPresent: number;
    expectedVoters: number;
    decidedOn: IsoDate;
  }
>;

export type CommitteeSeatVacated = Event<
  'CommitteeSeatVacated',
  { unionId: string; memberId: string; cause: VacancyCause; decidedOn: IsoDate }
>;

export type VacancyCause = 'RESIGNED' | 'LEFT_UNION' | 'DECEASED';

export type CommitteeMeetingHeld = Event<
  'CommitteeMeetingHeld',
  { unionId: string; heldOn: IsoDate; minutesRef: string | null }
>;

export type UnionDissolved = Event<
  'UnionDissolved',
  {
    unionId: string;
    reason: DissolutionReason;
    adminDecisionRef: string;
    /** Art. 11: the dissolution is filed with the parent union. */
    filedWithUnionId: string;
    dissolvedOn: IsoDate;
  }
>;

/** Art. 11: the administrative unit was terminated (终止) or revoked (撤销); nothing else. */
export type DissolutionReason = 'UNIT_TERMINATED' | 'UNIT_REVOKED';
export const DISSOLUTION_REASONS: readonly DissolutionReason[] = [
  'UNIT_TERMINATED',
  'UNIT_REVOKED',
];

export type UnionEvent =
  | UnionEstablished
  | UnionEstablishmentRequested
  | UnionEstablishmentApproved
  | UnionEstablishmentRejected
  | GovernanceFormSet
  | CommitteeElected
  | ChairElected
  | CommitteeVacancyFilled
  | WomenCommitteeElected
  | GroupLeaderElected
  | CommitteeRolesAssigned
  | TermExtended
  | CommitteeMemberRecalled
  | CommitteeSeatVacated
  | CommitteeMeetingHeld
  | UnionDissolved;
