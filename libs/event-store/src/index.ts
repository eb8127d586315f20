export * from './event-store.port';
export * from './errors';
export * from './validation';
export * from './postgres/postgres-event-store';
