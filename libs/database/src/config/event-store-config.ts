import { ConfigError, oneOf, type Env } from './config-error';

/**
 * Where events live: `postgres` (default, the `events` table) or `kurrentdb` (KURRENTDB_URL,
 * required then). Checkpoints, the audit chain, keys and read models stay in PostgreSQL.
 */
export type EventStoreConfig =
  { readonly kind: 'postgres' } | { readonly kind: 'kurrentdb'; readonly url: string };

const KURRENT_PROTOCOLS = ['kurrentdb:', 'kurrentdb+discover:', 'esdb:', 'esdb+discover:'];

export function eventStoreConfig(env: Env): EventStoreConfig {
  const kind = oneOf(env, 'EVENT_STORE', ['postgres', 'kurrentdb'], 'postgres');
  if (kind === 'postgres') return { kind };
  const raw = env.KURRENTDB_URL?.trim();
  if (!raw) {
    throw new ConfigError(
      'KURRENTDB_URL',
      'is required with EVENT_STORE=kurrentdb (e.g. kurrentdb://localhost:2113?tls=false)',
    );
  }
  let protocol = '';
  try {
    protocol = new URL(raw).protocol;
  } catch {
    // reported below
  }
  if (!KURRENT_PROTOCOLS.includes(protocol)) {
    // the URL may carry credentials: never echo it
    throw new ConfigError('KURRENTDB_URL', `must be a ${KURRENT_PROTOCOLS.join(' or ')}// URL`);
  }
  return { kind, url: raw };
}

/** The suite that runs the KurrentDB adapter against a real server reads its URL here. */
export function kurrentTestUrl(env: Env = process.env): string | undefined {
  return env.KURRENTDB_URL?.trim() || undefined;
}
