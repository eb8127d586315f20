import { Pool, types, type PoolConfig } from 'pg';

const DATE_OID = 1082;

/** `date` columns stay 'YYYY-MM-DD' strings: a JS Date would shift them by the machine's time zone. */
function getTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === DATE_OID) return (value: string) => value;
  return types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}

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
    types: { getTypeParser },
  };
  const pool = new Pool(config);
  // An idle client that loses its server (restart, network) must not crash the process; the pool
  // drops it and the next checkout reconnects.
  pool.on('error', () => undefined);
  // A client checked out but between queries (inside a transaction, while the code awaits
  // something else) has no listener of its own: the server terminating it (a restart, an admin
  // kill) would be an unhandled 'error' event and take the process down. Its next query fails
  // instead, and the transaction helpers then release it as broken.
  pool.on('connect', (client) => {
    client.on('error', () => undefined);
  });
  return pool;
}
