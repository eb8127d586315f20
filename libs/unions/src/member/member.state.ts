import { assertNever, type IsoDate, type Period } from '@app/core';
import type { DuesLedger } from '../dues/dues.rules';

export type MemberGender = 'FEMALE' | 'MALE';

/**
 * Personal data (national id, phone) as the command handler encrypted it. The decider never sees
 * plaintext; erasing the key (crypto-shredding) erases the value without rewriting history.
 */
export interface ProtectedValue {
  readonly ciphertext: string;
  readonly keyId: string;
  /**
   * The masked form (`110***********1234`) under the same key, so that a caller without the
   * PII-reading permission is shown it without the full value ever being decrypted. Absent in
   * values protected before it existed.
   */
  readonly masked?: string;
}

export type AbsenceReason = 'STUDY' | 'MEETING' | 'INSPECTION' | 'OTHER';
export type RetentionReason = 'RETIREMENT' | 'RESIGNATION' | 'LEAVING' | 'OTHER';

export interface OpenTransfer {
  readonly transferId: string;
  readonly toUnionId: string | null;
  readonly toExternal: string | null;
  readonly requestedOn: IsoDate;
}

export interface ArrearsEducation {
  readonly educatedOn: IsoDate;
  readonly unpaidMonths: number;
  readonly unpaidSince: Period;
  /** Dues were paid after the education: the member responded, the education no longer suffices. */
  readonly duesPaidSince: boolean;
}

export interface Absence {
  readonly reason: AbsenceReason;
  readonly from: IsoDate;
  readonly until: IsoDate | null;
}

export interface NoMember {
  readonly status: 'NONE';
}

export interface AppliedMember {
  readonly status: 'APPLIED';
  readonly memberId: string;
  readonly unionId: string;
  readonly appliedOn: IsoDate;
}

export interface ActiveMember {
  readonly status: 'ACTIVE';
  readonly memberId: string;
  /** The union the member counts on; during a transfer still the sending union. */
  readonly unionId: string;
  readonly cardNumber: string;
  readonly joinedOn: IsoDate;
  readonly dues: DuesLedger;
  /** Art. 19(6): internal early retirement keeps membership, dues exempt. */
  readonly internalRetirementSince: IsoDate | null;
  readonly openTransfer: OpenTransfer | null;
  readonly arrearsEducation: ArrearsEducation | null;
  readonly absence: Absence | null;
}

/** Art. 19(6) 保留会籍: still a member of the union, no dues, no vote. */
export interface RetainedMember {
  readonly status: 'RETAINED';
  readonly memberId: string;
  readonly unionId: string;
  readonly cardNumber: string;
  readonly joinedOn: IsoDate;
  readonly dues: DuesLedger;
  readonly retainedOn: IsoDate;
}

export type EndedStatus = 'REJECTED' | 'WITHDRAWN' | 'EXPELLED' | 'TRANSFERRED_OUT';

export interface EndedMember {
  readonly status: EndedStatus;
  readonly memberId: string;
  /** The last union the member belonged to (or applied to). */
  readonly unionId: string;
  readonly endedOn: IsoDate;
}

export type MemberState = NoMember | AppliedMember | ActiveMember | RetainedMember | EndedMember;
export type MemberStatus = MemberState['status'];

export const initialMemberState = (): MemberState => ({ status: 'NONE' });

export function isDuesExempt(state: MemberState): boolean {
  return (
    (state.status === 'ACTIVE' || state.status === 'RETAINED') && state.dues.exemptFrom !== null
  );
}

export interface MemberRights {
  /** Counts on the union's roll (ACTIVE and RETAINED members). */
  readonly isMember: boolean;
  /** Art. 19(3): voting and standing stay with the home union while away; RETAINED cannot. */
  readonly canVote: boolean;
  readonly canStandForElection: boolean;
  readonly owesDues: boolean;
}

/** What the member may do; the election and dues read sides ask this instead of re-deriving it. */
export function memberRights(state: MemberState): MemberRights {
  switch (state.status) {
    case 'ACTIVE':
      return {
        isMember: true,
        canVote: true,
        canStandForElection: true,
        owesDues: state.dues.exemptFrom === null,
      };
    case 'RETAINED':
      return { isMember: true, canVote: false, canStandForElection: false, owesDues: false };
    case 'NONE':
    case 'APPLIED':
    case 'REJECTED':
    case 'WITHDRAWN':
    case 'EXPELLED':
    case 'TRANSFERRED_OUT':
      return { isMember: false, canVote: false, canStandForElection: false, owesDues: false };
    default:
      return assertNever(state, 'member state');
  }
}
