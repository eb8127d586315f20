import type { Pool } from 'pg';
import { LOG_START, type LogCheckpoint } from '../event-store.port';

export interface CheckpointRow {
  name: string;
  checkpoint: LogCheckpoint;
  eventsDone: number;
  updatedAt: Date;
  failedPosition: number | null;
  failedReason: string | null;
}

export async function loadCheckpoint(pool: Pool, name: string): Promise<LogCheckpoint> {
  const { rows } = await pool.query<{ transaction_id: string; global_position: string }>(
    'SELECT transaction_id::text, global_position FROM subscription_checkpoints WHERE name = $1',
    [name],
  );
  const row = rows[0];
  return row
    ? { transactionId: row.transaction_id, position: Number(row.global_position) }
    : LOG_START;
}

export async function listCheckpoints(pool: Pool): Promise<CheckpointRow[]> {
  const { rows } = await pool.query<{
    name: string;
    transaction_id: string;
    global_position: string;
    events_done: string;
    updated_at: Date;
    failed_position: string | null;
    failed_reason: string | null;
  }>(
    `SELECT name, transaction_id::text, global_position, events_done, updated_at, failed_position, failed_reason
       FROM subscription_checkpoints ORDER BY name`,
  );
  return rows.map((r) => ({
    name: r.name,
    checkpoint: { transactionId: r.transaction_id, position: Number(r.global_position) },
    eventsDone: Number(r.events_done),
    updatedAt: r.updated_at,
    failedPosition: r.failed_position === null ? null : Number(r.failed_position),
    failedReason: r.failed_reason,
  }));
}

/** A follower that cannot apply an event stops there; the reason is kept for `status`. */
export async function recordFailure(
  pool: Pool,
  name: string,
  position: number,
  reason: string,
): Promise<void> {
  await pool.query(
    `INSERT INTO subscription_checkpoints (name, failed_position, failed_reason) VALUES ($1, $2, $3)
     ON CONFLICT (name) DO UPDATE SET failed_position = $2, failed_reason = $3, updated_at = now()`,
    [name, position, reason.slice(0, 2000)],
  );
}

/**
 * How long the oldest writing transaction has been open: while it is, the gap-free reader cannot
 * pass it. Only transactions that hold an xid count (readers do not hold the horizon back).
 */
export async function oldestWriterAgeSeconds(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ age: number | null }>(
    `SELECT extract(epoch FROM now() - min(xact_start))::float8 AS age
       FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND datname = current_database()`,
  );
  return rows[0]?.age ?? 0;
}
