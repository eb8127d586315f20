import type { Event, IsoDate } from '@app/core';
import type { TransferRoute } from './transfer-routing.rules';

/** Art. 19(3): the handlers are computed from the union tree and recorded with the request. */
export type TransferRequested = Event<
  'TransferRequested',
  {
    transferId: string;
    memberId: string;
    fromUnionId: string;
    toUnionId: string | null;
    toExternal: string | null;
    route: TransferRoute;
    sendingHandlerUnionId: string;
    receivingHandlerUnionId: string | null;
    handledByUnionIds: string[];
    requestedOn: IsoDate;
  }
>;

/** The sending side released the member; to outside the enterprise this completes the transfer. */
export type TransferReleased = Event<
  'TransferReleased',
  {
    transferId: string;
    memberId: string;
    byUnionId: string;
    releasedOn: IsoDate;
    completesTransfer: boolean;
    note: string | null;
  }
>;

/** The receiving side registered the member: from now on the member counts there. */
export type TransferReceived = Event<
  'TransferReceived',
  {
    transferId: string;
    memberId: string;
    toUnionId: string;
    byUnionId: string;
    receivedOn: IsoDate;
    note: string | null;
  }
>;

export type TransferRejected = Event<
  'TransferRejected',
  {
    transferId: string;
    memberId: string;
    side: 'SENDING' | 'RECEIVING';
    byUnionId: string;
    rejectedOn: IsoDate;
    note: string | null;
  }
>;

export type TransferEvent =
  TransferRequested | TransferReleased | TransferReceived | TransferRejected;
