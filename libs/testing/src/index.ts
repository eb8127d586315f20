export * from './decider-spec';
export * from './test-database';
export * from './generator';
