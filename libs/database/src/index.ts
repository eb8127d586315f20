export * from './config/app-config';
export * from './pool';
export * from './tenant-transaction';
export * from './migrate';
export * from './roles';
export * from './embedded-postgres';
export * from './database-bootstrap';
export * from './leader-lock';
