import { article, isIsoDate } from '@app/core';
import type {
  CancelMemberTransfer,
  CompleteMemberTransfer,
  RecordAbsence,
  StartMemberTransfer,
} from './member.commands';
import { memberError } from './member.errors';
import type {
  AbsenceRecorded,
  MemberTransferCancelled,
  MemberTransferCompleted,
  MemberTransferStarted,
} from './member.events';
import type { ActiveMember, MemberState, OpenTransfer } from './member.state';
import {
  optionalText,
  requireAuthority,
  requireNotBefore,
  requirePastDate,
  requireStatus,
} from './member-checks.rules';

const ART_19_3 = article(19, 3);

/**
 * Art. 19(3), member side of a transfer. The member keeps counting on the sending union until the
 * receiving side registers them; one transfer at a time.
 */
export function startMemberTransfer(
  command: StartMemberTransfer,
  state: MemberState,
): MemberTransferStarted[] {
  const { data, metadata } = command;
  const member = requireStatus(state, ['ACTIVE'], 'requestTransfer');
  if (member.openTransfer !== null) throw memberError('TRANSFER_IN_PROGRESS');
  const requestedOn = requirePastDate(data.requestedOn, 'requestedOn', metadata, data.rules);
  requireNotBefore(requestedOn, 'requestedOn', member.joinedOn, 'joinedOn');
  if ((data.toUnionId === null) === (data.toExternal === null)) {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'toUnionId/toExternal' });
  }
  if (data.toUnionId === member.unionId) {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'toUnionId' });
  }
  return [
    {
      type: 'MemberTransferStarted',
      data: {
        memberId: member.memberId,
        transferId: data.transferId,
        fromUnionId: member.unionId,
        toUnionId: data.toUnionId,
        toExternal: data.toExternal,
        requestedOn,
      },
    },
  ];
}

function requireOpenTransfer(
  state: MemberState,
  transferId: string,
  action: string,
): { member: ActiveMember; transfer: OpenTransfer } {
  const member = requireStatus(state, ['ACTIVE'], action);
  const transfer = member.openTransfer;
  if (transfer === null || transfer.transferId !== transferId) {
    throw memberError('TRANSFER_NOT_OPEN');
  }
  return { member, transfer };
}

export function completeMemberTransfer(
  command: CompleteMemberTransfer,
  state: MemberState,
): MemberTransferCompleted[] {
  const { data, metadata } = command;
  const { member, transfer } = requireOpenTransfer(state, data.transferId, 'receiveTransfer');
  const completedOn = requirePastDate(data.completedOn, 'completedOn', metadata, data.rules);
  requireNotBefore(completedOn, 'completedOn', transfer.requestedOn, 'requestedOn');
  return [
    {
      type: 'MemberTransferCompleted',
      data: {
        memberId: member.memberId,
        transferId: transfer.transferId,
        fromUnionId: member.unionId,
        toUnionId: transfer.toUnionId,
        toExternal: transfer.toExternal,
        completedOn,
      },
    },
  ];
}

export function cancelMemberTransfer(
  command: CancelMemberTransfer,
  state: MemberState,
): MemberTransferCancelled[] {
  const { data, metadata } = command;
  const { member, transfer } = requireOpenTransfer(state, data.transferId, 'rejectTransfer');
  const cancelledOn = requirePastDate(data.cancelledOn, 'cancelledOn', metadata, data.rules);
  requireNotBefore(cancelledOn, 'cancelledOn', transfer.requestedOn, 'requestedOn');
  return [
    {
      type: 'MemberTransferCancelled',
      data: { memberId: member.memberId, transferId: transfer.transferId, cancelledOn },
    },
  ];
}

/**
 * Art. 19(3), second paragraph: long absence for study, meetings or inspection is not a transfer;
 * the member keeps paying and voting at the home union.
 */
export function recordAbsence(command: RecordAbsence, state: MemberState): AbsenceRecorded[] {
  const { data } = command;
  const member = requireStatus(state, ['ACTIVE'], 'recordAbsence');
  requireAuthority(data.actsForUnionIds, member.unionId, ART_19_3);
  if (!['STUDY', 'MEETING', 'INSPECTION', 'OTHER'].includes(data.reason)) {
    throw memberError('INVALID_MEMBER_INPUT', { field: 'reason' });
  }
  // An absence may be recorded ahead of time, so `from` may lie in the future.
  if (!isIsoDate(data.from)) throw memberError('INVALID_MEMBER_INPUT', { field: 'from' });
  const from = data.from;
  requireNotBefore(from, 'from', member.joinedOn, 'joinedOn');
  if (data.until !== null) {
    if (!isIsoDate(data.until)) throw memberError('INVALID_MEMBER_INPUT', { field: 'until' });
    requireNotBefore(data.until, 'until', from, 'from');
  }
  return [
    {
      type: 'AbsenceRecorded',
      data: {
        memberId: member.memberId,
        unionId: member.unionId,
        reason: data.reason,
        from,
        until: data.until,
        note: optionalText(data.note, 'note', 1000),
      },
    },
  ];
}
