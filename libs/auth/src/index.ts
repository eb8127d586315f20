export * from './viewer';
export * from './auth.errors';
export * from './jwt';
export * from './scope';
