import { AUDIT_SEALER } from '@app/event-store';
import { allProjections } from '@app/read-models';
import type { Pool } from 'pg';

/** Every read-model table the projections write (what a rebuild empties). */
export const READ_MODEL_TABLES = allProjections().flatMap((p) => [...p.tables]);
export const FOLLOWERS = [...allProjections().map((p) => p.name), AUDIT_SEALER];

/**
 * Columns that are legitimately the time of projection rather than a fact of the log. The
 * read-model tables have none (`recorded_at` in the audit index is the event's own time), so the
 * comparison covers every column; the list stays here so that adding one is a visible decision.
 */
const TIME_OF_PROJECTION: Record<string, readonly string[]> = {};

export type Snapshot = Map<string, string[]>;

/** Every row of every read-model table as canonical JSON, sorted (read as the owner: no RLS). */
export async function snapshot(owner: Pool): Promise<Snapshot> {
  const out: Snapshot = new Map();
  for (const table of READ_MODEL_TABLES) {
    const drop = (TIME_OF_PROJECTION[table] ?? []).map((c) => ` - '${c}'`).join('');
    const { rows } = await owner.query<{ r: string }>(
      `SELECT (to_jsonb(t)${drop})::text AS r FROM ${table} t ORDER BY 1`,
    );
    out.set(
      table,
      rows.map((x) => x.r),
    );
  }
  return out;
}

/** Row-by-row differences: rows only in `actual` (doubled or wrong) and only in `expected` (lost). */
export function differences(actual: Snapshot, expected: Snapshot): string[] {
  const problems: string[] = [];
  for (const [table, want] of expected) {
    const have = actual.get(table) ?? [];
    const count = (rows: string[]) => {
      const m = new Map<string, number>();
      for (const r of rows) m.set(r, (m.get(r) ?? 0) + 1);
      return m;
    };
    const haveCount = count(have);
    const wantCount = count(want);
    const extra = [...haveCount].filter(([r, n]) => n > (wantCount.get(r) ?? 0)).map(([r]) => r);
    const lost = [...wantCount].filter(([r, n]) => n > (haveCount.get(r) ?? 0)).map(([r]) => r);
    if (extra.length || lost.length)
      problems.push(
        `${table}: ${have.length} rows vs ${want.length} in the rebuild; ` +
          `${extra.length} not in the rebuild (e.g. ${extra.slice(0, 2).join(' | ')}), ` +
          `${lost.length} missing (e.g. ${lost.slice(0, 2).join(' | ')})`,
      );
  }
  return problems;
}

export interface FollowerState {
  name: string;
  eventsDone: number;
  pending: boolean;
  failed: string | null;
}

/** Each follower's checkpoint: events applied so far and whether committed events lie beyond it. */
export async function followerStates(owner: Pool): Promise<FollowerState[]> {
  const { rows } = await owner.query<{
    name: string;
    events_done: string | null;
    pending: boolean;
    failed: string | null;
  }>(
    `SELECT f.name, c.events_done,
            es_committed_after(COALESCE(c.transaction_id, '0'::xid8), COALESCE(c.global_position, 0)) AS pending,
            c.failed_reason AS failed
       FROM unnest($1::text[]) AS f(name)
       LEFT JOIN subscription_checkpoints c ON c.name = f.name`,
    [FOLLOWERS],
  );
  return rows.map((r) => ({
    name: r.name,
    eventsDone: Number(r.events_done ?? 0),
    pending: r.pending,
    failed: r.failed,
  }));
}

export async function eventCount(owner: Pool): Promise<number> {
  const { rows } = await owner.query<{ n: string }>('SELECT count(*) AS n FROM events');
  return Number(rows[0]?.n ?? 0);
}

/** True once every follower has applied everything committed; throws on a recorded failure. */
export async function caughtUp(owner: Pool): Promise<boolean> {
  const states = await followerStates(owner);
  const failed = states.find((s) => s.failed);
  if (failed) throw new Error(`${failed.name} failed: ${failed.failed}`);
  return states.every((s) => !s.pending);
}

/** A follower of this process is inside a writing transaction right now (mid-batch). */
export async function midBatch(owner: Pool, database: string, application: string) {
  const { rows } = await owner.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity
      WHERE datname = $1 AND application_name = $2 AND backend_xid IS NOT NULL`,
    [database, application],
  );
  return (rows[0]?.n ?? 0) > 0;
}
