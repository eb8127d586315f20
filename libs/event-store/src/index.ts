export * from './event-store.port';
export * from './errors';
export * from './validation';
export * from './postgres/postgres-event-store';
export * from './subscription/checkpoints';
export * from './subscription/log-follower';
export * from './subscription/follower-lag';
export * from './audit/canonical';
export * from './audit/audit-sealer';
export * from './audit/verify-chain';
export * from './event-store.module';
export * from './kurrent/kurrent-connect';
export type { KurrentEventStore } from './kurrent/kurrent-event-store';
export {
  parseStreamName as parseKurrentStreamName,
  tenantPrefix as kurrentTenantPrefix,
  toStreamName as kurrentStreamName,
} from './kurrent/kurrent-naming';
