import type { Command, IsoDate } from '@app/core';
import type { RuleSettings } from '../tenant-settings/rule-settings';
import type { VacancyCause } from './union.events';
import type {
  CommitteeRole,
  ElectingBody,
  GovernanceForm,
  UnionLevel,
  UnionStatus,
} from './union.state';

/*
 * Facts from other streams and read models are resolved by the command handler and passed in, so
 * the decider stays pure. Each fact says what the handler looked up, not what to decide.
 */

/** Another union as the handler found it. */
export type UnionLookup =
  | { readonly unionId: string; readonly status: 'NOT_FOUND' }
  | { readonly unionId: string; readonly status: UnionStatus; readonly level: UnionLevel };

/** The contract's MemberStatus, as a fact about a member held by another aggregate. */
export type MemberStanding =
  'APPLIED' | 'ACTIVE' | 'RETAINED' | 'WITHDRAWN' | 'EXPELLED' | 'REJECTED' | 'TRANSFERRED_OUT';

export type MemberLookup =
  | { readonly memberId: string; readonly status: 'NOT_FOUND' }
  | { readonly memberId: string; readonly status: MemberStanding; readonly unionId: string };

/** PLATFORM_ADMIN at provisioning; `companyUnionExists` comes from the tenant's union list. */
export type ProvisionCompanyUnion = Command<
  'ProvisionCompanyUnion',
  { unionId: string; name: string; establishedOn: IsoDate; companyUnionExists: boolean }
>;

interface NewUnionData {
  unionId: string;
  name: string;
  level: UnionLevel;
  parent: UnionLookup;
  /** Names of the parent's other children that are pending or active. */
  siblingNames: readonly string[];
}

export type EstablishUnion = Command<
  'EstablishUnion',
  NewUnionData & { establishedOn: IsoDate; actorIsParentOfficer: boolean }
>;

export type RequestUnionEstablishment = Command<
  'RequestUnionEstablishment',
  NewUnionData & { requestedOn: IsoDate }
>;

export type ApproveUnionEstablishment = Command<
  'ApproveUnionEstablishment',
  {
    approvedOn: IsoDate;
    parent: UnionLookup;
    siblingNames: readonly string[];
    actorIsParentOfficer: boolean;
  }
>;

export type RejectUnionEstablishment = Command<
  'RejectUnionEstablishment',
  { rejectedOn: IsoDate; reason: string; actorIsParentOfficer: boolean }
>;

export type SetGovernanceForm = Command<
  'SetGovernanceForm',
  {
    form: GovernanceForm;
    jointWith: readonly UnionLookup[];
    organizer: MemberLookup | null;
    activeMembers: number;
    effectiveOn: IsoDate;
    settings: RuleSettings;
  }
>;

/** What an approved election installs; built from ElectionResultApproved by the handler. */
export type ApprovedResult =
  | {
      readonly kind: 'COMMITTEE';
      readonly seats: number;
      readonly memberIds: readonly string[];
      readonly termYears: number;
    }
  | { readonly kind: 'CHAIR'; readonly memberId: string }
  | { readonly kind: 'BY_ELECTION'; readonly memberIds: readonly string[] }
  | { readonly kind: 'WOMEN_COMMITTEE'; readonly memberIds: readonly string[] }
  | { readonly kind: 'GROUP_LEADER'; readonly memberId: string };

export type InstallElectionResult = Command<
  'InstallElectionResult',
  { electionId: string; approvedOn: IsoDate; result: ApprovedResult }
>;

export type AssignCommitteeRoles = Command<
  'AssignCommitteeRoles',
  {
    assignments: readonly { memberId: string; roles: readonly CommitteeRole[] }[];
    decidedOn: IsoDate;
    /** Art. 9: female members of the union, and which committee members are women. */
    femaleMembers: number;
    femaleCommitteeMemberIds: readonly string[];
    settings: RuleSettings;
  }
>;

export type ExtendTerm = Command<
  'ExtendTerm',
  {
    months: number;
    special: boolean;
    /** Reference of the parent union's approval (Art. 7). */
    approvalRef: string;
    decidedOn: IsoDate;
    settings: RuleSettings;
  }
>;

export type RecallCommitteeMember = Command<
  'RecallCommitteeMember',
  {
    memberId: string;
    decidedBy: ElectingBody;
    resolutionRef: string;
    votesFor: number;
    votersPresent: number;
    expectedVoters: number;
    decidedOn: IsoDate;
    settings: RuleSettings;
  }
>;

export type VacateCommitteeSeat = Command<
  'VacateCommitteeSeat',
  { memberId: string; cause: VacancyCause; decidedOn: IsoDate }
>;

export type RecordCommitteeMeeting = Command<
  'RecordCommitteeMeeting',
  { heldOn: IsoDate; minutesRef?: string; recordedOn: IsoDate }
>;

export type DissolveUnion = Command<
  'DissolveUnion',
  {
    /** Must be UNIT_TERMINATED or UNIT_REVOKED (Art. 11); the contract passes it as a string. */
    reason: string;
    adminDecisionRef: string;
    dissolvedOn: IsoDate;
    activeMembers: number;
    activeChildUnions: number;
  }
>;

export type UnionCommand =
  | ProvisionCompanyUnion
  | EstablishUnion
  | RequestUnionEstablishment
  | ApproveUnionEstablishment
  | RejectUnionEstablishment
  | SetGovernanceForm
  | InstallElectionResult
  | AssignCommitteeRoles
  | ExtendTerm
  | RecallCommitteeMember
  | VacateCommitteeSeat
  | RecordCommitteeMeeting
  | DissolveUnion;
