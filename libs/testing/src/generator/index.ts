export * from './generate-large-tenant';
export * from './writer';
export { finalStatus, FULL_SIZE, type MemberPlan, type TenantPlan, type UnionPlan } from './plan';
export type { TenantCounts } from './events';
export { Prng } from './prng';
export * from './roll-csv';
