import type { RecordedEvent } from '@app/core';
import {
  transferDecider,
  type TransferEvent,
  type TransferRecord,
  type TransferRoute,
  type TransferState,
} from '@app/unions';

/** One rm_transfers row as the projection writes it (paths are joined in from rm_unions). */
export interface TransferRow {
  transfer_id: string;
  member_id: string;
  from_union_id: string;
  to_union_id: string | null;
  to_external: string | null;
  route: TransferRoute;
  sending_handler_union_id: string;
  receiving_handler_union_id: string | null;
  handled_by_union_ids: string[];
  status: TransferRecord['status'];
  requested_on: string;
  released_on: string | null;
  closed_on: string | null;
  rejected_side: 'SENDING' | 'RECEIVING' | null;
  last_position: number;
}

export const TRANSFER_EVENT_TYPES: ReadonlySet<string> = new Set<TransferEvent['type']>([
  'TransferRequested',
  'TransferReleased',
  'TransferReceived',
  'TransferRejected',
]);

function toState(row: TransferRow | undefined): TransferState {
  if (!row) return transferDecider.initialState();
  return {
    status: row.status,
    transferId: row.transfer_id,
    memberId: row.member_id,
    fromUnionId: row.from_union_id,
    toUnionId: row.to_union_id,
    toExternal: row.to_external,
    route: row.route,
    sendingHandlerUnionId: row.sending_handler_union_id,
    receivingHandlerUnionId: row.receiving_handler_union_id,
    handledByUnionIds: row.handled_by_union_ids,
    requestedOn: row.requested_on,
    releasedOn: row.released_on,
    closedOn: row.closed_on,
  };
}

/**
 * Applies one transfer event with the transfer decider's own evolve, so the read model's status
 * is the aggregate's; returns undefined when the event changes nothing (unknown transfer).
 */
export function foldTransfer(
  row: TransferRow | undefined,
  recorded: RecordedEvent,
): TransferRow | undefined {
  const event = recorded as unknown as TransferEvent;
  const state = transferDecider.evolve(toState(row), event);
  if (state.status === 'NONE') return undefined;
  return {
    transfer_id: state.transferId,
    member_id: state.memberId,
    from_union_id: state.fromUnionId,
    to_union_id: state.toUnionId,
    to_external: state.toExternal,
    route: state.route,
    sending_handler_union_id: state.sendingHandlerUnionId,
    receiving_handler_union_id: state.receivingHandlerUnionId,
    handled_by_union_ids: [...state.handledByUnionIds],
    status: state.status,
    requested_on: state.requestedOn,
    released_on: state.releasedOn,
    closed_on: state.closedOn,
    rejected_side:
      event.type === 'TransferRejected' ? event.data.side : (row?.rejected_side ?? null),
    last_position: recorded.globalPosition,
  };
}
