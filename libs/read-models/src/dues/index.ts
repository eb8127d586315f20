export * from './dues.projection';
export * from './dues.queries';
export * from './arrears.queries';
export * from './dues-query.errors';
