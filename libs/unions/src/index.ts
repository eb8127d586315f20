export * from './tenant-settings';
export * from './union';
export * from './election';
export * from './member';
export * from './transfer';
export * from './dues';
