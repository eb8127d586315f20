import { Pool, type PoolConfig } from 'pg';

export interface PoolSettings {
  max?: number;
  statementTimeoutMs?: number;
  idleInTransactionTimeoutMs?: number;
  connectionTimeoutMs?: number;
  applicationName?: string;
}

/**
 * A pg pool whose sessions cannot hold the gap-free readers back forever: every statement has a
 * timeout and a transaction left idle is killed by the server.
 */
export function createPool(connectionString: string, settings: PoolSettings = {}): Pool {
  const config: PoolConfig = {
    connectionString,
    max: settings.max ?? 20,
    connectionTimeoutMillis: settings.connectionTimeoutMs ?? 5_000,
    statement_timeout: settings.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: settings.idleInTransactionTimeoutMs ?? 10_000,
    application_name: settings.applicationName ?? 'union-registry',
  };
  const pool = new Pool(config);
  // An idle client that loses its server (restart, network) must not crash the process; the pool
  // drops it and the next checkout reconnects.
  pool.on('error', () => undefined);
  return pool;
}
