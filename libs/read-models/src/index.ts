export * from './runner/projection';
export * from './runner/projection-runner';
export * from './registry/registry.projection';
export * from './projections';
export * from './read-models.module';
