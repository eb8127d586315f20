export * from './election.commands';
export * from './election.decider';
export * from './election.errors';
export * from './election.events';
export * from './election.state';
