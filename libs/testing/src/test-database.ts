import { randomBytes } from 'node:crypto';
import { createPool, testDatabaseEnv } from '@app/database';
import { Client, type Pool } from 'pg';

export interface TestDatabase {
  readonly name: string;
  /** Superuser/owner: for tampering and inspection in tests, never for the code under test. */
  readonly ownerUrl: string;
  /** The non-owner application role, as the services connect. */
  readonly appUrl: string;
  readonly ownerPool: Pool;
  readonly appPool: Pool;
  close(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** A fresh database cloned from the migrated template (milliseconds), private to one test file. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const { ownerUrl: maintenanceUrl, appUrl: appBase, template } = testDatabaseEnv();
  const runPid = template.split('_').at(-1) ?? '0';
  const name = `t_${runPid}_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: maintenanceUrl });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
        break;
      } catch (error) {
        // another worker cloning the template at the same instant: retry shortly
        if (attempt > 20 || !/being accessed by other users/.test((error as Error).message))
          throw error;
        await new Promise((r) => setTimeout(r, 50 + Math.random() * 100));
      }
    }
  } finally {
    await admin.end();
  }
  const ownerUrl = withDatabase(maintenanceUrl, name);
  const appUrl = withDatabase(appBase, name);
  const ownerPool = createPool(ownerUrl, { max: 5, applicationName: 'test-owner' });
  const appPool = createPool(appUrl, { max: 40, applicationName: 'test-app' });
  return {
    name,
    ownerUrl,
    appUrl,
    ownerPool,
    appPool,
    close: async () => {
      await Promise.all([ownerPool.end(), appPool.end()]);
    },
  };
}
