export * from './message';
export * from './decider';
export * from './domain-error';
export * from './clock';
export * from './ids';
export * from './dates';
export * from './logger';
export * from './compact-string-set';
