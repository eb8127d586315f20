import type { Command, IsoDate } from '@app/core';
import type { RuleSettings } from '../tenant-settings/rule-settings';
import type { MemberStanding } from '../union/union.commands';
import type { GovernanceForm, UnionLevel, UnionStatus } from '../union/union.state';
import type { ElectionKind, Tally } from './election.state';

/** The union holding the election, as the handler read it (union stream and member roll). */
export type ElectionUnionFacts =
  | { readonly status: 'NOT_FOUND' }
  | {
      readonly status: UnionStatus;
      readonly level: UnionLevel;
      readonly governanceForm: GovernanceForm;
      readonly activeMembers: number;
      /** Active members who may vote (retained members may not). */
      readonly eligibleVoters: number;
      readonly femaleMembers: number;
      readonly committeeMemberIds: readonly string[];
      readonly committeeVacancies: number;
    };

export interface CandidateFacts {
  readonly memberId: string;
  readonly status: MemberStanding | 'NOT_FOUND';
  /**
   * Belongs to the electorate of this union: its roll for a grassroots union, the roll of the
   * group's grassroots union for a group, the subtree's rolls for higher levels.
   */
  readonly inElectorate: boolean;
  /** Only read for WOMEN_COMMITTEE elections (Art. 9). */
  readonly female: boolean;
}

export type CallElection = Command<
  'CallElection',
  {
    electionId: string;
    unionId: string;
    kind: ElectionKind;
    seats: number;
    expectedVoters: number;
    candidates: readonly CandidateFacts[];
    /** Required for COMMITTEE elections (Art. 7). */
    termYears?: number;
    calledOn: IsoDate;
    union: ElectionUnionFacts;
    settings: RuleSettings;
  }
>;

export type RecordElectionResult = Command<
  'RecordElectionResult',
  {
    votersPresent: number;
    tallies: readonly Tally[];
    heldOn: IsoDate;
    /** The settings in force on `heldOn`. */
    settings: RuleSettings;
  }
>;

export type ApproveElectionResult = Command<
  'ApproveElectionResult',
  {
    approvedOn: IsoDate;
    actorIsParentOfficer: boolean;
    /** For the company union, whose parent is outside the tenant: the approval's reference. */
    externalApprovalRef?: string;
  }
>;

export type ElectionCommand = CallElection | RecordElectionResult | ApproveElectionResult;
