export { committeeErrors } from './committee.errors';
export * from './union.commands';
export * from './union.decider';
export { unionErrors } from './union.errors';
export * from './union.events';
export { ALLOWED_PARENT_LEVELS, isGrassroots, normaliseName } from './union.rules';
export * from './union.state';
export * from './union-compliance.rules';
