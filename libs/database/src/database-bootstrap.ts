import { ConfigError, type AppConfig } from './config/app-config';
import {
  attachToRunning,
  runningServerPort,
  ensureDatabase,
  startEmbeddedPostgres,
  readOrCreateCredentials,
  type EmbeddedCluster,
} from './embedded-postgres';
import { runMigrations, type MigrationReport } from './migrate';
import { ensureAppRole } from './roles';

export const EMBEDDED_DATABASE = 'union_registry';
export const EMBEDDED_APP_ROLE = 'union_app';

export interface DatabaseEndpoints {
  /** Owner role: migrations only. */
  ownerUrl: string;
  /** Non-owner application role: everything else. */
  appUrl: string;
  /** False when only DATABASE_URL was given, so the app runs as the owner and RLS is bypassed. */
  rlsEnforced: boolean;
  embedded: EmbeddedCluster | undefined;
  migrations: MigrationReport;
  close(): Promise<void>;
}

/**
 * With DATABASE_URL: migrate that server. Without: start (or reuse) the embedded cluster under
 * dataDir, create the database and the application role, migrate.
 */
export async function bootstrapDatabase(
  config: AppConfig,
  log: (line: string) => void = () => undefined,
): Promise<DatabaseEndpoints> {
  if (config.databaseUrl) {
    const migrations = await runMigrations(config.databaseUrl);
    return {
      ownerUrl: config.databaseUrl,
      appUrl: config.databaseAppUrl ?? config.databaseUrl,
      rlsEnforced: config.databaseAppUrl !== undefined,
      embedded: undefined,
      migrations,
      close: () => Promise.resolve(),
    };
  }
  if (config.nodeEnv === 'production') {
    throw new ConfigError(
      'DATABASE_URL',
      'is required in production (the embedded PostgreSQL is for development and tests)',
    );
  }
  const running = runningServerPort(config.dataDir);
  if (running !== undefined)
    log(`attaching to the embedded PostgreSQL already running on port ${running}`);
  const embedded =
    running !== undefined
      ? attachToRunning(config.dataDir, running)
      : await startEmbeddedPostgres({ dataDir: config.dataDir, port: config.embeddedPort, log });
  try {
    await ensureDatabase(embedded.urlFor('postgres'), EMBEDDED_DATABASE);
    const ownerUrl = embedded.urlFor(EMBEDDED_DATABASE);
    const migrations = await runMigrations(ownerUrl);
    const { appPassword } = readOrCreateCredentials(config.dataDir);
    await ensureAppRole(ownerUrl, EMBEDDED_APP_ROLE, appPassword);
    return {
      ownerUrl,
      appUrl: embedded.urlFor(EMBEDDED_DATABASE, EMBEDDED_APP_ROLE, appPassword),
      rlsEnforced: true,
      embedded,
      migrations,
      close: () => embedded.stop(),
    };
  } catch (error) {
    await embedded.stop();
    throw error;
  }
}
