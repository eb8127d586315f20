import type { IsoDate } from '@app/core';
import type { TransferRoute } from './transfer-routing.rules';

export interface NoTransfer {
  readonly status: 'NONE';
}

export interface TransferRecord {
  readonly status: 'REQUESTED' | 'RELEASED' | 'COMPLETED' | 'REJECTED';
  readonly transferId: string;
  readonly memberId: string;
  readonly fromUnionId: string;
  readonly toUnionId: string | null;
  readonly toExternal: string | null;
  readonly route: TransferRoute;
  readonly sendingHandlerUnionId: string;
  /** Null for a transfer to outside the enterprise: the company's release completes it. */
  readonly receivingHandlerUnionId: string | null;
  readonly handledByUnionIds: readonly string[];
  readonly requestedOn: IsoDate;
  readonly releasedOn: IsoDate | null;
  readonly closedOn: IsoDate | null;
}

export type TransferState = NoTransfer | TransferRecord;
export type TransferStatus = TransferState['status'];

export const initialTransferState = (): TransferState => ({ status: 'NONE' });
