export * from './tenant-settings';
export * from './union';
export * from './election';
