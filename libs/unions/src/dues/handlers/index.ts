export * from './import-dues-payroll.handler';
