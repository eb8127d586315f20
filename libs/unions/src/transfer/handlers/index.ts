export type { TransferOutcome } from './transfer-handler.base';
export * from './request-transfer.handler';
export * from './release-transfer.handler';
export * from './receive-transfer.handler';
export * from './reject-transfer.handler';
