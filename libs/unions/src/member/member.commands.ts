import type { Command, IsoDate, Period } from '@app/core';
import { NATIONAL_DUES_RULES, type DuesCalendarRules } from '../dues/dues.rules';
import type { AbsenceReason, MemberGender, ProtectedValue, RetentionReason } from './member.state';

/**
 * The rule values a member decision needs, mapped by the handler from the tenant settings in force
 * on the decision date (defaults: `REGULATION_MEMBERSHIP_RULES`).
 */
export interface MembershipRules extends DuesCalendarRules {
  /** Art. 19(4): consecutive unpaid months that make a member a withdrawal candidate (6). */
  readonly arrearsMonths: number;
}

/** This regulation's values (and the national ones: the two agree on membership and dues). */
export const REGULATION_MEMBERSHIP_RULES: MembershipRules = {
  arrearsMonths: 6,
  dues: NATIONAL_DUES_RULES,
  utcOffsetMinutes: 8 * 60,
};

export type UnionLevelName = 'COMPANY' | 'SECONDARY_UNIT' | 'BRIGADE' | 'TEAM' | 'GROUP';
export type UnionStatusName = 'PENDING_APPROVAL' | 'ACTIVE' | 'DISSOLVED';

/** The union a member joins or is imported into, as the handler read it. */
export interface UnionFacts {
  readonly unionId: string;
  readonly level: UnionLevelName;
  readonly status: UnionStatusName;
}

/** Every decision carries the rules in force; officer decisions also carry the actor's reach. */
interface RuledData {
  readonly rules: MembershipRules;
}
interface OfficerData extends RuledData {
  /**
   * The unions involved in this command that the actor may act for (an officer of that union or
   * of a union above it), resolved by the handler from the actor's roles and the union tree.
   */
  readonly actsForUnionIds: readonly string[];
}

/** The contract's MemberStatus, as an import row may carry it. */
export type MemberStatusName =
  'APPLIED' | 'ACTIVE' | 'RETAINED' | 'WITHDRAWN' | 'EXPELLED' | 'REJECTED' | 'TRANSFERRED_OUT';

export type ApplyForMembership = Command<
  'ApplyForMembership',
  RuledData & {
    memberId: string;
    union: UnionFacts;
    name: string;
    gender: MemberGender;
    employeeNo: string;
    nationalId: ProtectedValue | null;
    phone: ProtectedValue | null;
    appliedOn: IsoDate;
    /** Another membership that has not ended already uses this employee number in the tenant. */
    employeeNoInUse: boolean;
  }
>;

export type ApproveMembership = Command<
  'ApproveMembership',
  OfficerData & {
    /** Given by the officer, or generated per tenant by the handler. */
    cardNumber: string;
    cardNumberGenerated: boolean;
    cardNumberInUse: boolean;
    decidedOn: IsoDate;
  }
>;

export type RejectMembership = Command<
  'RejectMembership',
  OfficerData & { decidedOn: IsoDate; note: string | null }
>;

export type ImportMember = Command<
  'ImportMember',
  OfficerData & {
    memberId: string;
    union: UnionFacts;
    name: string;
    gender: MemberGender;
    employeeNo: string;
    nationalId: ProtectedValue | null;
    phone: ProtectedValue | null;
    joinedOn: IsoDate;
    cardNumber: string;
    cardNumberGenerated: boolean;
    cardNumberInUse: boolean;
    employeeNoInUse: boolean;
    /** Only ACTIVE and RETAINED members can be imported (null means ACTIVE). */
    status: MemberStatusName | null;
    duesExempt: boolean;
    /** Last month settled in the previous registry; null: arrears count from the import month. */
    duesPaidThrough: Period | null;
    importedOn: IsoDate;
  }
>;

export type RecordDuesPayment = Command<
  'RecordDuesPayment',
  OfficerData & {
    period: Period;
    wageBaseFen: number;
    amountFen: number | null;
    paidOn: IsoDate;
  }
>;

export type CorrectDuesPayment = Command<
  'CorrectDuesPayment',
  OfficerData & {
    period: Period;
    wageBaseFen: number;
    amountFen: number | null;
    correctedOn: IsoDate;
    reason: string;
  }
>;

/** Issued by the transfer handler together with RequestTransfer (authority is checked there). */
export type StartMemberTransfer = Command<
  'StartMemberTransfer',
  RuledData & {
    transferId: string;
    toUnionId: string | null;
    toExternal: string | null;
    requestedOn: IsoDate;
  }
>;

export type CompleteMemberTransfer = Command<
  'CompleteMemberTransfer',
  RuledData & { transferId: string; completedOn: IsoDate }
>;

export type CancelMemberTransfer = Command<
  'CancelMemberTransfer',
  RuledData & { transferId: string; cancelledOn: IsoDate }
>;

export type RecordAbsence = Command<
  'RecordAbsence',
  OfficerData & { reason: AbsenceReason; from: IsoDate; until: IsoDate | null; note: string | null }
>;

export type WithdrawMember = Command<
  'WithdrawMember',
  OfficerData & { decidedOn: IsoDate; cardReturned: boolean; note: string | null }
>;

export type RecordArrearsEducation = Command<
  'RecordArrearsEducation',
  OfficerData & { decidedOn: IsoDate; note: string | null }
>;

export type DeclareAutomaticWithdrawal = Command<
  'DeclareAutomaticWithdrawal',
  OfficerData & { decidedOn: IsoDate; note: string | null }
>;

export type ExpelMember = Command<
  'ExpelMember',
  OfficerData & {
    criminalSanctionRef: string;
    committeeDecisionRef: string;
    decidedOn: IsoDate;
    /** The parent of the member's union, with which the expulsion is filed. */
    parentUnionId: string;
  }
>;

export type StartInternalRetirement = Command<
  'StartInternalRetirement',
  OfficerData & { decidedOn: IsoDate; note: string | null }
>;

export type RetainMembership = Command<
  'RetainMembership',
  OfficerData & { decidedOn: IsoDate; reason: RetentionReason; note: string | null }
>;

export type MemberCommand =
  | ApplyForMembership
  | ApproveMembership
  | RejectMembership
  | ImportMember
  | RecordDuesPayment
  | CorrectDuesPayment
  | StartMemberTransfer
  | CompleteMemberTransfer
  | CancelMemberTransfer
  | RecordAbsence
  | WithdrawMember
  | RecordArrearsEducation
  | DeclareAutomaticWithdrawal
  | ExpelMember
  | StartInternalRetirement
  | RetainMembership;

export type MemberCommandType = MemberCommand['type'];
