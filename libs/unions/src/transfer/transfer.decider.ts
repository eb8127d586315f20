import {
  assertNever,
  dateInZone,
  isIsoDate,
  streamId,
  type CommandMetadata,
  type Decider,
  type IsoDate,
} from '@app/core';
import type { MembershipRules } from '../member/member.commands';
import type {
  ReceiveTransfer,
  RejectTransfer,
  ReleaseTransfer,
  RequestTransfer,
  TransferCommand,
} from './transfer.commands';
import { transferError } from './transfer.errors';
import type {
  TransferEvent,
  TransferReceived,
  TransferRejected,
  TransferReleased,
  TransferRequested,
} from './transfer.events';
import { computeTransferHandlers, type TransferEndpoint } from './transfer-routing.rules';
import { initialTransferState, type TransferRecord, type TransferState } from './transfer.state';

function pastDate(
  value: string,
  field: string,
  metadata: CommandMetadata,
  rules: MembershipRules,
): IsoDate {
  if (!isIsoDate(value)) throw transferError('INVALID_TRANSFER_INPUT', { field });
  if (value > dateInZone(metadata.now, rules.utcOffsetMinutes)) {
    throw transferError('TRANSFER_DATE_IN_FUTURE', { field });
  }
  return value;
}

function notBefore(value: IsoDate, field: string, reference: IsoDate, referenceName: string): void {
  if (value < reference) {
    throw transferError('TRANSFER_DATE_OUT_OF_ORDER', { field, reference: referenceName });
  }
}

function note(value: string | null): string | null {
  const trimmed = value?.trim() ?? '';
  if (trimmed.length > 1000) throw transferError('INVALID_TRANSFER_INPUT', { field: 'note' });
  return trimmed === '' ? null : trimmed;
}

function requireOpen(state: TransferState): TransferRecord {
  if (state.status === 'NONE') throw transferError('TRANSFER_NOT_FOUND');
  if (state.status === 'COMPLETED' || state.status === 'REJECTED') {
    throw transferError('TRANSFER_CLOSED', { status: state.status });
  }
  return state;
}

function requireHandler(
  actsFor: readonly string[],
  unionId: string,
  side: 'sending' | 'receiving',
): void {
  if (!actsFor.includes(unionId)) throw transferError('NOT_TRANSFER_HANDLER', { side, unionId });
}

function requestTransfer(command: RequestTransfer, state: TransferState): TransferRequested[] {
  const { data, metadata } = command;
  if (state.status !== 'NONE') throw transferError('TRANSFER_ALREADY_EXISTS');
  const from: TransferEndpoint = { kind: 'UNION', path: data.fromPath };
  const to: TransferEndpoint =
    data.to.kind === 'UNION'
      ? { kind: 'UNION', path: data.to.path }
      : { kind: 'EXTERNAL', name: data.to.name.trim() };
  if (to.kind === 'EXTERNAL' && (to.name === '' || to.name.length > 200)) {
    throw transferError('TRANSFER_DESTINATION_REQUIRED');
  }
  const handlers = computeTransferHandlers(from, to);
  if (data.to.kind === 'UNION' && data.to.status !== 'ACTIVE') {
    throw transferError('RECEIVING_UNION_NOT_ACTIVE', { status: data.to.status });
  }
  const fromUnionId = data.fromPath[data.fromPath.length - 1]?.unionId ?? '';
  requireHandler(data.actsForUnionIds, fromUnionId, 'sending');
  return [
    {
      type: 'TransferRequested',
      data: {
        transferId: data.transferId,
        memberId: data.memberId,
        fromUnionId,
        toUnionId: to.kind === 'UNION' ? (to.path[to.path.length - 1]?.unionId ?? null) : null,
        toExternal: to.kind === 'EXTERNAL' ? to.name : null,
        route: handlers.route,
        sendingHandlerUnionId: handlers.sendingHandlerUnionId ?? '',
        receivingHandlerUnionId: handlers.receivingHandlerUnionId,
        handledByUnionIds: [...handlers.handledByUnionIds],
        requestedOn: pastDate(data.requestedOn, 'requestedOn', metadata, data.rules),
      },
    },
  ];
}

function releaseTransfer(command: ReleaseTransfer, state: TransferState): TransferReleased[] {
  const { data, metadata } = command;
  const transfer = requireOpen(state);
  if (transfer.status === 'RELEASED') throw transferError('TRANSFER_ALREADY_RELEASED');
  requireHandler(data.actsForUnionIds, transfer.sendingHandlerUnionId, 'sending');
  const releasedOn = pastDate(data.releasedOn, 'releasedOn', metadata, data.rules);
  notBefore(releasedOn, 'releasedOn', transfer.requestedOn, 'requestedOn');
  return [
    {
      type: 'TransferReleased',
      data: {
        transferId: transfer.transferId,
        memberId: transfer.memberId,
        byUnionId: transfer.sendingHandlerUnionId,
        releasedOn,
        completesTransfer: transfer.receivingHandlerUnionId === null,
        note: note(data.note),
      },
    },
  ];
}

function receiveTransfer(command: ReceiveTransfer, state: TransferState): TransferReceived[] {
  const { data, metadata } = command;
  const transfer = requireOpen(state);
  if (transfer.status === 'REQUESTED') throw transferError('TRANSFER_NOT_RELEASED');
  // A RELEASED transfer always has a receiving side: to outside, the release closed it.
  const receiving = transfer.receivingHandlerUnionId ?? '';
  const toUnionId = transfer.toUnionId ?? '';
  requireHandler(data.actsForUnionIds, receiving, 'receiving');
  if (data.receivingUnionStatus !== 'ACTIVE') {
    throw transferError('RECEIVING_UNION_NOT_ACTIVE', { status: data.receivingUnionStatus });
  }
  const receivedOn = pastDate(data.receivedOn, 'receivedOn', metadata, data.rules);
  notBefore(receivedOn, 'receivedOn', transfer.releasedOn ?? transfer.requestedOn, 'releasedOn');
  return [
    {
      type: 'TransferReceived',
      data: {
        transferId: transfer.transferId,
        memberId: transfer.memberId,
        toUnionId,
        byUnionId: receiving,
        receivedOn,
        note: note(data.note),
      },
    },
  ];
}

/** Either handling side may refuse while the transfer is open; the member stays at home. */
function rejectTransfer(command: RejectTransfer, state: TransferState): TransferRejected[] {
  const { data, metadata } = command;
  const transfer = requireOpen(state);
  const sending = data.actsForUnionIds.includes(transfer.sendingHandlerUnionId);
  const receiving =
    transfer.receivingHandlerUnionId !== null &&
    data.actsForUnionIds.includes(transfer.receivingHandlerUnionId);
  if (!sending && !receiving) {
    throw transferError('NOT_TRANSFER_HANDLER', {
      side: 'sending or receiving',
      unionId: transfer.handledByUnionIds.join(', '),
    });
  }
  const rejectedOn = pastDate(data.rejectedOn, 'rejectedOn', metadata, data.rules);
  notBefore(rejectedOn, 'rejectedOn', transfer.requestedOn, 'requestedOn');
  return [
    {
      type: 'TransferRejected',
      data: {
        transferId: transfer.transferId,
        memberId: transfer.memberId,
        side: sending ? 'SENDING' : 'RECEIVING',
        byUnionId: sending
          ? transfer.sendingHandlerUnionId
          : (transfer.receivingHandlerUnionId ?? ''),
        rejectedOn,
        note: note(data.note),
      },
    },
  ];
}

export function decideTransfer(command: TransferCommand, state: TransferState): TransferEvent[] {
  switch (command.type) {
    case 'RequestTransfer':
      return requestTransfer(command, state);
    case 'ReleaseTransfer':
      return releaseTransfer(command, state);
    case 'ReceiveTransfer':
      return receiveTransfer(command, state);
    case 'RejectTransfer':
      return rejectTransfer(command, state);
    default:
      return assertNever(command, 'transfer command');
  }
}

export function evolveTransfer(state: TransferState, event: TransferEvent): TransferState {
  switch (event.type) {
    case 'TransferRequested':
      return { status: 'REQUESTED', ...event.data, releasedOn: null, closedOn: null };
    case 'TransferReleased':
      if (state.status === 'NONE') return state;
      return event.data.completesTransfer
        ? {
            ...state,
            status: 'COMPLETED',
            releasedOn: event.data.releasedOn,
            closedOn: event.data.releasedOn,
          }
        : { ...state, status: 'RELEASED', releasedOn: event.data.releasedOn };
    case 'TransferReceived':
      if (state.status === 'NONE') return state;
      return { ...state, status: 'COMPLETED', closedOn: event.data.receivedOn };
    case 'TransferRejected':
      if (state.status === 'NONE') return state;
      return { ...state, status: 'REJECTED', closedOn: event.data.rejectedOn };
    default:
      return assertNever(event, 'transfer event');
  }
}

export const transferDecider: Decider<TransferState, TransferCommand, TransferEvent> = {
  decide: decideTransfer,
  evolve: evolveTransfer,
  initialState: initialTransferState,
};

export const transferStreamId = (transferId: string): string => streamId('transfer', transferId);

/**
 * What a transfer event means for the member stream, for the handler that appends both: the
 * member moves (or leaves) when the transfer completes and stays when it is rejected.
 */
export type MemberTransferEffect =
  | { readonly kind: 'COMPLETE'; readonly transferId: string; readonly on: IsoDate }
  | { readonly kind: 'CANCEL'; readonly transferId: string; readonly on: IsoDate }
  | { readonly kind: 'NONE' };

export function memberTransferEffect(event: TransferEvent): MemberTransferEffect {
  switch (event.type) {
    case 'TransferRequested':
      return { kind: 'NONE' };
    case 'TransferReleased':
      return event.data.completesTransfer
        ? { kind: 'COMPLETE', transferId: event.data.transferId, on: event.data.releasedOn }
        : { kind: 'NONE' };
    case 'TransferReceived':
      return { kind: 'COMPLETE', transferId: event.data.transferId, on: event.data.receivedOn };
    case 'TransferRejected':
      return { kind: 'CANCEL', transferId: event.data.transferId, on: event.data.rejectedOn };
    default:
      return assertNever(event, 'transfer event');
  }
}
