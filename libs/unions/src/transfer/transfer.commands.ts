import type { Command, IsoDate } from '@app/core';
import type { MembershipRules, UnionStatusName } from '../member/member.commands';
import type { UnionPath } from './transfer-routing.rules';

interface TransferData {
  readonly rules: MembershipRules;
  /** Which of the unions involved the actor may act for (officer there or above), per handler. */
  readonly actsForUnionIds: readonly string[];
}

export type TransferDestination =
  | { readonly kind: 'UNION'; readonly path: UnionPath; readonly status: UnionStatusName }
  | { readonly kind: 'EXTERNAL'; readonly name: string };

/**
 * Opened by an officer of the member's union (or above). The member side (one open transfer, still
 * counting at home) is decided by the member decider's StartMemberTransfer in the same append.
 */
export type RequestTransfer = Command<
  'RequestTransfer',
  TransferData & {
    transferId: string;
    memberId: string;
    /** The path of the union the member counts on now. */
    fromPath: UnionPath;
    to: TransferDestination;
    requestedOn: IsoDate;
  }
>;

export type ReleaseTransfer = Command<
  'ReleaseTransfer',
  TransferData & { releasedOn: IsoDate; note: string | null }
>;

export type ReceiveTransfer = Command<
  'ReceiveTransfer',
  TransferData & {
    receivedOn: IsoDate;
    note: string | null;
    /** The receiving union's status now: a union dissolved meanwhile cannot register anyone. */
    receivingUnionStatus: UnionStatusName;
  }
>;

export type RejectTransfer = Command<
  'RejectTransfer',
  TransferData & { rejectedOn: IsoDate; note: string | null }
>;

export type TransferCommand = RequestTransfer | ReleaseTransfer | ReceiveTransfer | RejectTransfer;
