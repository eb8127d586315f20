import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogSink } from '@app/core';
import { startEmbeddedPostgres, type EmbeddedCluster } from '@app/database';
import { Client } from 'pg';

/** `base` with another database (and optionally another login). */
export function databaseUrl(
  base: string,
  database: string,
  user?: string,
  password?: string,
): string {
  const u = new URL(base);
  u.pathname = `/${database}`;
  if (user) u.username = user;
  if (password) u.password = password;
  return u.toString();
}

/**
 * The server a bench runs on: DATABASE_URL if given, else a throw-away embedded cluster with
 * durable defaults (fsync and synchronous_commit on: the figures are what production pays) plus
 * `settings`. `work` gets the maintenance URL and, for the embedded cluster, its postmaster's pid.
 */
export async function withBenchServer<T>(
  name: string,
  settings: Record<string, string>,
  work: (maintenanceUrl: string, postmasterPid: number | undefined) => Promise<T>,
): Promise<T> {
  if (process.env.DATABASE_URL) return work(process.env.DATABASE_URL, undefined);
  const dir = mkdtempSync(join(tmpdir(), `union-bench-${name}-`));
  let cluster: EmbeddedCluster | undefined;
  try {
    const statements: Record<string, string> = STATEMENT_STATS
      ? { shared_preload_libraries: 'pg_stat_statements', 'pg_stat_statements.track': 'all' }
      : {};
    cluster = await startEmbeddedPostgres({
      dataDir: dir,
      settings: { ...settings, ...statements },
    });
    const postmaster = readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0];
    return await work(cluster.urlFor('postgres'), Number(postmaster));
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * BENCH_STATEMENTS=1: the embedded cluster loads pg_stat_statements and a bench phase can print
 * which statements it ran how often per request (where round trips go).
 */
const STATEMENT_STATS = process.env.BENCH_STATEMENTS === '1';

/** Resets the statement counters; a no-op unless BENCH_STATEMENTS=1. */
export async function resetStatements(ownerUrl: string): Promise<void> {
  if (!STATEMENT_STATS) return;
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await client.query('SELECT pg_stat_statements_reset()');
  } finally {
    await client.end();
  }
}

/** Prints the most frequent statements since the reset, as calls per request. */
export async function printStatements(ownerUrl: string, requests: number): Promise<void> {
  if (!STATEMENT_STATS) return;
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ calls: string; query: string }>(
      `SELECT calls::text, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
         FROM pg_stat_statements WHERE toplevel ORDER BY calls DESC LIMIT 25`,
    );
    const total = rows.reduce((sum, r) => sum + Number(r.calls), 0);
    console.log(`    statements per request (top 25 sum ${(total / requests).toFixed(1)}):`);
    for (const r of rows)
      console.log(`      ${(Number(r.calls) / requests).toFixed(2).padStart(6)}  ${r.query}`);
  } finally {
    await client.end();
  }
}

/** Prints the statements that took the most database time since the reset (where a rebuild goes). */
export async function printStatementTimes(ownerUrl: string): Promise<void> {
  if (!STATEMENT_STATS) return;
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ calls: string; ms: number; query: string }>(
      `SELECT calls::text, total_exec_time AS ms, left(regexp_replace(query, '\\s+', ' ', 'g'), 110) AS query
         FROM pg_stat_statements ORDER BY total_exec_time DESC LIMIT 15`,
    );
    console.log('    statements by database time (ms total, calls):');
    for (const r of rows)
      console.log(`      ${r.ms.toFixed(0).padStart(8)} ${r.calls.padStart(7)}  ${r.query}`);
  } finally {
    await client.end();
  }
}

/**
 * Samples what the server's sessions wait on while `work` runs (BENCH_STATEMENTS=1): counts of
 * (wait event, statement) among active sessions every 100 ms, the top ones printed.
 */
export async function sampleWaits<T>(ownerUrl: string, work: () => Promise<T>): Promise<T> {
  if (!STATEMENT_STATS) return work();
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  const counts = new Map<string, number>();
  let running = true;
  const sampling = (async () => {
    while (running) {
      const { rows } = await client.query<{ w: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') || '  ' ||
                left(regexp_replace(query, '\\s+', ' ', 'g'), 70) AS w
           FROM pg_stat_activity
          WHERE state = 'active' AND backend_type = 'client backend' AND pid <> pg_backend_pid()`,
      );
      for (const r of rows) counts.set(r.w, (counts.get(r.w) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  try {
    return await work();
  } finally {
    running = false;
    await sampling;
    await client.end();
    console.log('    sessions by wait and statement (samples every 100 ms):');
    for (const [w, n] of [...counts].sort((a, b) => b[1] - a[1]).slice(0, 15))
      console.log(`      ${String(n).padStart(6)}  ${w}`);
  }
}

/**
 * CPU ms the cluster has spent so far: the postmaster, its live children and the children it has
 * reaped. On a shared machine CPU compares better between runs than wall time; NaN without the
 * postmaster's pid (DATABASE_URL).
 */
export function postgresCpuMs(postmasterPid: number | undefined): number {
  if (postmasterPid === undefined) return Number.NaN;
  const fields = (pid: number): string[] | undefined => {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    } catch {
      return undefined;
    }
  };
  const ticks = (f: string[] | undefined, from: number, to: number) =>
    f === undefined ? 0 : f.slice(from, to + 1).reduce((sum, v) => sum + Number(v), 0);
  // utime, stime (fields 14, 15) and cutime, cstime (16, 17); here 0-based after the name
  let total = ticks(fields(postmasterPid), 11, 14);
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const f = fields(Number(entry));
    if (f !== undefined && Number(f[1]) === postmasterPid) total += ticks(f, 11, 12);
  }
  return total * 10; // USER_HZ = 100
}

/** Room for the WAL of millions of events (read-models, dues-import). */
export const LARGE_WRITE_SETTINGS = {
  shared_buffers: '1GB',
  max_wal_size: '8GB',
  checkpoint_timeout: '30min',
  work_mem: '16MB',
};

/** Many concurrent clients (event-store, api). */
export const MANY_CLIENTS_SETTINGS = { max_connections: '300', shared_buffers: '512MB' };

/** Progress lines of a bench's setup, indented under its heading. */
export const benchLog: LogSink = {
  log: (m) => console.log(`  ${m}`),
  warn: (m) => console.warn(`  ${m}`),
  error: (m) => console.error(`  ${m}`),
};

/**
 * The environment of the built API as a bench runs it: production (no schema file, no
 * introspection, secrets required) with fresh secrets, the in-process projector, and no rate
 * limit (one token drives the whole load: the limit would measure itself).
 */
export function productionApiEnv(ownerUrl: string, appUrl: string, dataDir: string) {
  return {
    NODE_ENV: 'production',
    DATABASE_URL: ownerUrl,
    DATABASE_APP_URL: appUrl,
    AUTH_JWT_SECRET: randomBytes(32).toString('base64url'),
    PII_MASTER_KEY: randomBytes(32).toString('base64'),
    DATA_DIR: dataDir,
    PROJECTOR: 'in-process',
    RATE_LIMIT_MAX: '0',
  };
}
