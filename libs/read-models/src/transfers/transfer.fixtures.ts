import type { Event, IsoDate } from '@app/core';

/** Transfer events for the read-model specs; handlers as the routing rules would compute them. */
export const transferEv = {
  requested: (
    transferId: string,
    memberId: string,
    route: {
      from: string;
      to: string | null;
      sending: string;
      receiving: string | null;
      toExternal?: string;
    },
    requestedOn: IsoDate,
  ): Event => ({
    type: 'TransferRequested',
    data: {
      transferId,
      memberId,
      fromUnionId: route.from,
      toUnionId: route.to,
      toExternal: route.toExternal ?? null,
      route:
        route.to === null
          ? 'OUTSIDE_ENTERPRISE'
          : route.sending === route.from
            ? 'WITHIN_SECONDARY_UNIT'
            : 'BETWEEN_SECONDARY_UNITS',
      sendingHandlerUnionId: route.sending,
      receivingHandlerUnionId: route.receiving,
      handledByUnionIds: [route.sending, ...(route.receiving ? [route.receiving] : [])],
      requestedOn,
    },
  }),
  released: (
    transferId: string,
    memberId: string,
    byUnionId: string,
    releasedOn: IsoDate,
    completesTransfer = false,
  ): Event => ({
    type: 'TransferReleased',
    data: { transferId, memberId, byUnionId, releasedOn, completesTransfer, note: null },
  }),
  received: (
    transferId: string,
    memberId: string,
    toUnionId: string,
    receivedOn: IsoDate,
  ): Event => ({
    type: 'TransferReceived',
    data: { transferId, memberId, toUnionId, byUnionId: toUnionId, receivedOn, note: null },
  }),
  rejected: (
    transferId: string,
    memberId: string,
    side: 'SENDING' | 'RECEIVING',
    byUnionId: string,
    rejectedOn: IsoDate,
  ): Event => ({
    type: 'TransferRejected',
    data: { transferId, memberId, side, byUnionId, rejectedOn, note: 'spec' },
  }),
};
