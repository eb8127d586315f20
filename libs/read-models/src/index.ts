export * from './runner/projection';
export * from './runner/projection-runner';
export * from './registry/registry.projection';
