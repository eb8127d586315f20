export * from './member.state';
export * from './member.events';
export * from './personal-data.events';
export * from './member.commands';
export * from './member.errors';
export * from './member.decider';
export { duesPaymentFacts } from './member-dues.rules';
export * from './member-import.decider';
