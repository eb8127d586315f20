export * from './decider-spec';
export * from './test-database';
