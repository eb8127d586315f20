export * from './rule-settings';
export * from './tenant-settings.commands';
export * from './tenant-settings.decider';
export * from './tenant-settings.errors';
export * from './tenant-settings.events';
export * from './tenant-settings.state';
