import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
// Jest loads global setup outside its module mapper, so @app/* paths do not resolve here.
import {
  ensureAppRole,
  publishTestDatabaseEnv,
  testHarnessSettings,
  ensureDatabase,
  runMigrations,
  startEmbeddedPostgres,
  type EmbeddedCluster,
} from '../../../database/src';
import { Client } from 'pg';

declare global {
  var __UNION_TEST_CLUSTER__:
    | { cluster?: EmbeddedCluster; dataDir?: string; template: string; maintenanceUrl: string }
    | undefined;
}

const APP_ROLE = 'union_test_app';
const APP_PASSWORD = 'union_test_app';

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

function withUser(url: string, user: string, password: string): string {
  const u = new URL(url);
  u.username = user;
  u.password = password;
  return u.toString();
}

/**
 * One PostgreSQL per test run (embedded, or DATABASE_URL), one migrated template database;
 * every test file clones its own database from the template (see test-database.ts).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  let cluster: EmbeddedCluster | undefined;
  let dataDir: string | undefined;
  let maintenanceUrl: string;
  const settings = testHarnessSettings();
  if (settings.databaseUrl) {
    maintenanceUrl = settings.databaseUrl;
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'union-registry-test-'));
    cluster = await startEmbeddedPostgres({
      dataDir,
      // a throw-away cluster: durability buys nothing here
      settings: {
        fsync: 'off',
        synchronous_commit: 'off',
        full_page_writes: 'off',
        max_connections: '300',
      },
    });
    maintenanceUrl = cluster.urlFor('postgres');
  }
  const template = `union_template_${process.pid}`;
  await ensureDatabase(maintenanceUrl, template);
  const templateUrl = withDatabase(maintenanceUrl, template);
  await runMigrations(templateUrl);
  await ensureAppRole(templateUrl, APP_ROLE, APP_PASSWORD);
  // nobody may stay connected to a template while it is cloned
  const admin = new Client({ connectionString: maintenanceUrl });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${template} WITH IS_TEMPLATE true`);
  await admin.end();

  globalThis.__UNION_TEST_CLUSTER__ = { cluster, dataDir, template, maintenanceUrl };
  publishTestDatabaseEnv({
    ownerUrl: maintenanceUrl,
    appUrl: withUser(maintenanceUrl, APP_ROLE, APP_PASSWORD),
    template,
  });
  if (settings.verbose) console.log(`\ntest database ready in ${Date.now() - started} ms`);
}
