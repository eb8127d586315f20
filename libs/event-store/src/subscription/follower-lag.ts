import type { Pool } from 'pg';

export interface FollowerLag {
  readonly name: string;
  /** Events after the checkpoint, counted up to the cap passed to `followerLag`. */
  readonly events: number;
  /** Age of the oldest event not yet applied; 0 when caught up. */
  readonly seconds: number;
  /** Stopped on an event it cannot apply (the reason stays in `projections status`). */
  readonly failed: boolean;
}

/** How far each named follower is behind the log, across tenants (counts and ages only). */
export async function followerLag(
  pool: Pool,
  names: readonly string[],
  cap = 1_000_000,
): Promise<FollowerLag[]> {
  const { rows } = await pool.query<{
    name: string;
    pending: string;
    oldest_pending_seconds: number;
    failed: boolean;
  }>('SELECT * FROM es_follower_lag($1::text[], $2)', [names, cap]);
  return rows.map((r) => ({
    name: r.name,
    events: Number(r.pending),
    seconds: Math.max(0, r.oldest_pending_seconds),
    failed: r.failed,
  }));
}
