export * from './actor-units';
export { ReadModelUnionFacts } from './union-facts.adapter';
export { ReadModelMemberFacts, PAYROLL_FACTS_CHUNK } from './member-facts.adapter';
export { STALE_STREAM_VERSION } from './payroll-facts.sql';
export * from './commands.module';
