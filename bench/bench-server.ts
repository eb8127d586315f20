import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedCluster } from '@app/database';

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
    cluster = await startEmbeddedPostgres({ dataDir: dir, settings });
    const postmaster = readFileSync(join(dir, 'pg', 'postmaster.pid'), 'utf8').split('\n')[0];
    return await work(cluster.urlFor('postgres'), Number(postmaster));
  } finally {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
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
