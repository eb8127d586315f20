import { randomBytes } from 'node:crypto';
import { ConfigError, int, oneOf, type Env } from './config-error';
import { eventStoreConfig, type EventStoreConfig } from './event-store-config';
import { operationsConfig, type OperationsConfig } from './operations-config';

export { ConfigError } from './config-error';
export type { OperationsConfig } from './operations-config';
export { kurrentTestUrl, type EventStoreConfig } from './event-store-config';

/**
 * The one place that reads the environment. Everything else receives an AppConfig.
 * A bad setting stops the start with a message naming the variable.
 */
export interface AppConfig {
  readonly nodeEnv: 'development' | 'production' | 'test';
  readonly port: number;
  /** Owner connection (migrations). Absent: an embedded PostgreSQL under `dataDir`. */
  readonly databaseUrl: string | undefined;
  /** Application connection as a non-owner role so row-level security applies. */
  readonly databaseAppUrl: string | undefined;
  readonly dataDir: string;
  readonly embeddedPort: number | undefined;
  readonly pool: {
    readonly max: number;
    readonly statementTimeoutMs: number;
    readonly idleInTransactionTimeoutMs: number;
    readonly connectionTimeoutMs: number;
  };
  /** `external`: the API does not run projections/sealer; apps/projector does. */
  readonly projector: 'in-process' | 'external';
  /** `silent`: no log lines at all (tests that do not capture the log). */
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  readonly auth: { readonly jwtSecret: string | undefined; readonly jwksUrl: string | undefined };
  /**
   * The key-encryption key of personal data (PII_MASTER_KEY, base64, 32 bytes). Required in
   * production; elsewhere absent means a development key (kept under `dataDir`, or per process in
   * tests).
   */
  readonly piiMasterKey: Buffer | undefined;
  /** Health thresholds, request limits, the projector's probe port, shutdown. */
  readonly operations: OperationsConfig;
  /** EVENT_STORE: `postgres` (default) or `kurrentdb` at KURRENTDB_URL. */
  readonly eventStore: EventStoreConfig;
  /**
   * Answers of read-only GraphQL queries kept in memory (apps/api/src/cache): each is served
   * again until a projection of its tenant commits, or for at most `maxAgeMs` (some figures
   * depend on today's date). RESPONSE_CACHE_MS=0 turns it off.
   */
  readonly responseCache: { readonly maxAgeMs: number; readonly maxBytes: number };
}

function url(env: Env, name: string): string | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  // the value holds a password: the messages describe the problem and never quote it
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(
      name,
      'is not a valid URL (expected postgres://user:password@host:5432/database)',
    );
  }
  if (!['postgres:', 'postgresql:'].includes(parsed.protocol)) {
    throw new ConfigError(name, `must use postgres:// or postgresql://, not ${parsed.protocol}//`);
  }
  if (!parsed.hostname && !parsed.searchParams.get('host')) {
    throw new ConfigError(name, 'names no host');
  }
  if (parsed.pathname.length <= 1) throw new ConfigError(name, 'names no database');
  return raw;
}

const PII_KEY_BYTES = 32;

function piiMasterKey(env: Env, nodeEnv: AppConfig['nodeEnv']): Buffer | undefined {
  const raw = env.PII_MASTER_KEY?.trim();
  if (!raw) {
    if (nodeEnv === 'production')
      throw new ConfigError('PII_MASTER_KEY', 'is required in production');
    return undefined;
  }
  const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(raw) ? Buffer.from(raw, 'base64') : Buffer.alloc(0);
  if (key.length !== PII_KEY_BYTES) {
    // never echo the value: it is a secret
    throw new ConfigError('PII_MASTER_KEY', `must be ${PII_KEY_BYTES} bytes, base64 encoded`);
  }
  return key;
}

export function loadConfig(env: Env = process.env): AppConfig {
  const nodeEnv = oneOf(env, 'NODE_ENV', ['development', 'production', 'test'], 'development');
  const jwtSecret = env.AUTH_JWT_SECRET || undefined;
  if (nodeEnv === 'production' && !jwtSecret && !env.AUTH_JWKS_URL) {
    throw new ConfigError('AUTH_JWT_SECRET', 'or AUTH_JWKS_URL is required in production');
  }
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET', 'must be at least 32 characters');
  }
  return {
    nodeEnv,
    port: int(env, 'PORT', 3000, 0, 65535),
    databaseUrl: url(env, 'DATABASE_URL'),
    databaseAppUrl: url(env, 'DATABASE_APP_URL'),
    dataDir: env.DATA_DIR || '.data',
    embeddedPort: env.EMBEDDED_PG_PORT ? int(env, 'EMBEDDED_PG_PORT', 0, 1, 65535) : undefined,
    pool: {
      max: int(env, 'DB_POOL_MAX', 20, 1, 500),
      statementTimeoutMs: int(env, 'DB_STATEMENT_TIMEOUT_MS', 30_000, 100, 3_600_000),
      idleInTransactionTimeoutMs: int(
        env,
        'DB_IDLE_IN_TRANSACTION_TIMEOUT_MS',
        10_000,
        100,
        3_600_000,
      ),
      connectionTimeoutMs: int(env, 'DB_CONNECTION_TIMEOUT_MS', 5_000, 100, 120_000),
    },
    projector: oneOf(env, 'PROJECTOR', ['in-process', 'external'], 'in-process'),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error', 'silent'], 'info'),
    auth: { jwtSecret, jwksUrl: env.AUTH_JWKS_URL || undefined },
    piiMasterKey: piiMasterKey(env, nodeEnv),
    operations: operationsConfig(env),
    eventStore: eventStoreConfig(env),
    responseCache: {
      maxAgeMs: int(env, 'RESPONSE_CACHE_MS', 1_000, 0, 60_000),
      maxBytes: int(env, 'RESPONSE_CACHE_MAX_BYTES', 16_777_216, 65_536, 1_073_741_824),
    },
  };
}

/** A random password for the embedded database's roles, kept under the data directory. */
export function randomSecret(): string {
  return randomBytes(24).toString('base64url');
}

/** Test and bench entry points get the URLs the Jest global setup published. */
export interface TestDatabaseEnv {
  ownerUrl: string;
  appUrl: string;
  template: string;
}

/** Test and bench entry points get the URLs the Jest global setup published. */
export function testDatabaseEnv(env: Env = process.env): TestDatabaseEnv {
  const ownerUrl = env.TEST_PG_OWNER_URL;
  const appUrl = env.TEST_PG_APP_URL;
  if (!ownerUrl || !appUrl) {
    throw new ConfigError('TEST_PG_OWNER_URL', 'is not set: run through Jest (global setup)');
  }
  return { ownerUrl, appUrl, template: env.TEST_PG_TEMPLATE || 'union_template' };
}

/** What the Jest global setup reads: a server to use instead of an embedded one, verbosity. */
export function testHarnessSettings(env: Env = process.env): {
  databaseUrl: string | undefined;
  verbose: boolean;
} {
  return { databaseUrl: url(env, 'DATABASE_URL'), verbose: Boolean(env.TEST_VERBOSE) };
}

/** The global setup hands the test database to the Jest workers through their environment. */
export function publishTestDatabaseEnv(values: TestDatabaseEnv): void {
  process.env.TEST_PG_OWNER_URL = values.ownerUrl;
  process.env.TEST_PG_APP_URL = values.appUrl;
  process.env.TEST_PG_TEMPLATE = values.template;
}
