export * from './transfer.state';
export * from './transfer.events';
export * from './transfer.commands';
export * from './transfer.errors';
export * from './transfer-routing.rules';
export * from './transfer.decider';
