import type { IsoDate } from '@app/core';

export type UnionLevel = 'COMPANY' | 'SECONDARY_UNIT' | 'BRIGADE' | 'TEAM' | 'GROUP';
export const UNION_LEVELS: readonly UnionLevel[] = [
  'COMPANY',
  'SECONDARY_UNIT',
  'BRIGADE',
  'TEAM',
  'GROUP',
];

/** REJECTED is beyond the contract's enum: an establishment request the parent turned down. */
export type UnionStatus = 'PENDING_APPROVAL' | 'ACTIVE' | 'DISSOLVED' | 'REJECTED';

export type GovernanceForm = 'NONE' | 'COMMITTEE' | 'JOINT_COMMITTEE' | 'ORGANIZER';

export type CommitteeRole =
  | 'CHAIR'
  | 'VICE_CHAIR'
  | 'ORGANIZATION'
  | 'DEMOCRATIC_MANAGEMENT'
  | 'PROPAGANDA_EDUCATION'
  | 'LABOR'
  | 'LIVELIHOOD'
  | 'WOMEN_WORKERS';
export const COMMITTEE_ROLES: readonly CommitteeRole[] = [
  'CHAIR',
  'VICE_CHAIR',
  'ORGANIZATION',
  'DEMOCRATIC_MANAGEMENT',
  'PROPAGANDA_EDUCATION',
  'LABOR',
  'LIVELIHOOD',
  'WOMEN_WORKERS',
];
/** Art. 8: 组织、民管、宣教、劳动、生活等委员: every committee has these portfolios. */
export const REQUIRED_PORTFOLIOS: readonly CommitteeRole[] = [
  'ORGANIZATION',
  'DEMOCRATIC_MANAGEMENT',
  'PROPAGANDA_EDUCATION',
  'LABOR',
  'LIVELIHOOD',
];

/** The body that elected a seat, and the only one that may recall it (Art. 15(2)). */
export type ElectingBody = 'MEMBERS_CONGRESS' | 'GROUP_MEMBERS';

export type Governance =
  | { readonly form: 'NONE' }
  | { readonly form: 'COMMITTEE' }
  | { readonly form: 'JOINT_COMMITTEE'; readonly jointWithUnionIds: readonly string[] }
  | { readonly form: 'ORGANIZER'; readonly organizerMemberId: string };

export interface CommitteeSeat {
  readonly memberId: string;
  readonly roles: readonly CommitteeRole[];
  readonly electionId: string;
  readonly electedBy: ElectingBody;
}

export interface Committee {
  readonly electionId: string;
  /** Seats the congress decided on; seats - members.length are vacancies (Art. 8). */
  readonly seats: number;
  readonly members: readonly CommitteeSeat[];
}

export interface TermExtension {
  readonly months: number;
  readonly special: boolean;
  readonly approvalRef: string;
}

export interface Term {
  readonly years: number;
  readonly start: IsoDate;
  /** Current end, extensions included. */
  readonly end: IsoDate;
  readonly extensions: readonly TermExtension[];
}

interface UnionIdentity {
  readonly unionId: string;
  readonly name: string;
  readonly level: UnionLevel;
  /** null only for the COMPANY union, the tenant's root. */
  readonly parentId: string | null;
}

export interface UnionBody {
  readonly establishedOn: IsoDate;
  readonly governance: Governance;
  readonly committee: Committee | null;
  readonly term: Term | null;
  readonly womenCommittee: {
    readonly electionId: string;
    readonly memberIds: readonly string[];
  } | null;
  readonly groupLeader: { readonly electionId: string; readonly memberId: string } | null;
  readonly lastMeetingOn: IsoDate | null;
  /** Election results already applied, so a repeated install appends nothing. */
  readonly installedElectionIds: readonly string[];
}

export type PendingUnion = UnionIdentity & {
  readonly status: 'PENDING_APPROVAL';
  readonly parentId: string;
  readonly requestedOn: IsoDate;
};
export type ActiveUnion = UnionIdentity & UnionBody & { readonly status: 'ACTIVE' };
export type DissolvedUnion = UnionIdentity &
  UnionBody & {
    readonly status: 'DISSOLVED';
    readonly dissolvedOn: IsoDate;
    readonly adminDecisionRef: string;
  };
export type RejectedUnion = UnionIdentity & {
  readonly status: 'REJECTED';
  readonly parentId: string;
  readonly rejectedOn: IsoDate;
};

export type UnionState =
  { readonly status: 'NONE' } | PendingUnion | ActiveUnion | DissolvedUnion | RejectedUnion;

export function committeeVacancies(committee: Committee | null): number {
  return committee ? Math.max(0, committee.seats - committee.members.length) : 0;
}

export function chairOf(committee: Committee | null): string | null {
  return committee?.members.find((s) => s.roles.includes('CHAIR'))?.memberId ?? null;
}

export function hasCommitteeForm(governance: Governance): boolean {
  return governance.form === 'COMMITTEE' || governance.form === 'JOINT_COMMITTEE';
}
