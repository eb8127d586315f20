import type { Event, IsoDate, Period } from '@app/core';
import type { DuesPaid, DuesPaymentCorrected } from '../dues/dues.events';
import type { AbsenceReason, MemberGender, ProtectedValue, RetentionReason } from './member.state';

/** Art. 19(1)(2). Ethnicity, religion, position and education are never recorded. */
export type MembershipApplied = Event<
  'MembershipApplied',
  {
    memberId: string;
    unionId: string;
    name: string;
    gender: MemberGender;
    employeeNo: string;
    nationalId: ProtectedValue | null;
    phone: ProtectedValue | null;
    appliedOn: IsoDate;
  }
>;

/** Art. 19(2): the grassroots committee approves and issues the card (会员证). */
export type MembershipApproved = Event<
  'MembershipApproved',
  {
    memberId: string;
    unionId: string;
    cardNumber: string;
    cardNumberGenerated: boolean;
    joinedOn: IsoDate;
  }
>;

export type MembershipRejected = Event<
  'MembershipRejected',
  { memberId: string; unionId: string; rejectedOn: IsoDate; note: string | null }
>;

/** Onboarding from a previous registry (issue 9): an existing member with their history. */
export type MemberImported = Event<
  'MemberImported',
  {
    memberId: string;
    unionId: string;
    name: string;
    gender: MemberGender;
    employeeNo: string;
    nationalId: ProtectedValue | null;
    phone: ProtectedValue | null;
    joinedOn: IsoDate;
    cardNumber: string;
    cardNumberGenerated: boolean;
    status: 'ACTIVE' | 'RETAINED';
    duesExempt: boolean;
    /** First month counted for arrears: dues before it were settled in the previous registry. */
    duesLiableFrom: Period;
    importedOn: IsoDate;
    /** The bulk import (`importMembers`) that brought the member in; absent for a single import. */
    importId?: string;
    /** Where the row came from; absent for a single import. */
    source?: MemberImportSource;
  }
>;

/** The channel (GraphQL or the import CLI), the file name as given, and the row's number in it. */
export interface MemberImportSource {
  readonly channel: 'API' | 'CLI';
  readonly file: string | null;
  readonly rowNumber: number;
}

/**
 * The summary of one `importMembers` command, on `member-import-<unionId>`: who imported what
 * (the actor is in the metadata, the rows' events name the import), and the counts.
 */
export type MembersImported = Event<
  'MembersImported',
  {
    unionId: string;
    importId: string;
    channel: MemberImportSource['channel'];
    file: string | null;
    importedOn: IsoDate;
    rows: number;
    accepted: number;
    rejected: number;
    alreadyImported: number;
  }
>;

/** Art. 19(3): a transfer opened; the member still counts on the sending union. */
export type MemberTransferStarted = Event<
  'MemberTransferStarted',
  {
    memberId: string;
    transferId: string;
    fromUnionId: string;
    toUnionId: string | null;
    toExternal: string | null;
    requestedOn: IsoDate;
  }
>;

/** The receiving side registered the member (or, to outside the enterprise, the company released). */
export type MemberTransferCompleted = Event<
  'MemberTransferCompleted',
  {
    memberId: string;
    transferId: string;
    fromUnionId: string;
    toUnionId: string | null;
    toExternal: string | null;
    completedOn: IsoDate;
  }
>;

export type MemberTransferCancelled = Event<
  'MemberTransferCancelled',
  { memberId: string; transferId: string; cancelledOn: IsoDate }
>;

/** Art. 19(3): away for study, meetings or inspection; not a transfer, dues and vote stay home. */
export type AbsenceRecorded = Event<
  'AbsenceRecorded',
  {
    memberId: string;
    unionId: string;
    reason: AbsenceReason;
    from: IsoDate;
    until: IsoDate | null;
    note: string | null;
  }
>;

/** Art. 19(4), first paragraph: voluntary withdrawal, announced by the committee. */
export type MemberWithdrew = Event<
  'MemberWithdrew',
  {
    memberId: string;
    unionId: string;
    withdrawnOn: IsoDate;
    cardReturned: boolean;
    note: string | null;
  }
>;

export type ArrearsEducationRecorded = Event<
  'ArrearsEducationRecorded',
  {
    memberId: string;
    unionId: string;
    educatedOn: IsoDate;
    unpaidMonths: number;
    unpaidSince: Period;
    note: string | null;
  }
>;

/** Art. 19(4), second paragraph: deemed withdrawn, declared by an officer, never automatic. */
export type AutomaticWithdrawalDeclared = Event<
  'AutomaticWithdrawalDeclared',
  {
    memberId: string;
    unionId: string;
    decidedOn: IsoDate;
    educatedOn: IsoDate;
    unpaidMonths: number;
    unpaidSince: Period;
    note: string | null;
  }
>;

/** Art. 19(5): filed with the parent union, whose projections list it. */
export type MemberExpelled = Event<
  'MemberExpelled',
  {
    memberId: string;
    unionId: string;
    expelledOn: IsoDate;
    criminalSanctionRef: string;
    committeeDecisionRef: string;
    filedWithUnionId: string;
  }
>;

/** Art. 19(6): 内部退养, membership kept, dues exempt from the month it starts. */
export type InternalRetirementStarted = Event<
  'InternalRetirementStarted',
  {
    memberId: string;
    unionId: string;
    startedOn: IsoDate;
    duesExemptFrom: Period;
    note: string | null;
  }
>;

/** Art. 19(6): 保留会籍, no dues, no vote. */
export type MembershipRetained = Event<
  'MembershipRetained',
  {
    memberId: string;
    unionId: string;
    retainedOn: IsoDate;
    reason: RetentionReason;
    duesExemptFrom: Period;
    note: string | null;
  }
>;

export type MemberEvent =
  | MembershipApplied
  | MembershipApproved
  | MembershipRejected
  | MemberImported
  | DuesPaid
  | DuesPaymentCorrected
  | MemberTransferStarted
  | MemberTransferCompleted
  | MemberTransferCancelled
  | AbsenceRecorded
  | MemberWithdrew
  | ArrearsEducationRecorded
  | AutomaticWithdrawalDeclared
  | MemberExpelled
  | InternalRetirementStarted
  | MembershipRetained;

export type MemberEventType = MemberEvent['type'];

export type { DuesPaid, DuesPaymentCorrected };
