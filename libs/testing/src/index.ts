export * from './decider-spec';
export * from './event-fixtures';
export * from './test-database';
export * from './generator';
