export * from './dues.rules';
export type { DuesPayrollImported } from './dues.events';
export { duesError, duesErrorMessage, type DuesErrorCode } from './dues.errors';
export * from './dues-payroll.commands';
export * from './dues-payroll.decider';
