import type { Pool } from 'pg';
import { loadMigrations, type Migration } from './migrate';

/** Applied migrations compared with the files this build ships. */
export interface MigrationStatus {
  /** Files not yet applied: the code expects a schema the database does not have. */
  readonly pending: string[];
  /** Applied with another checksum: a file was edited after it ran. */
  readonly changed: string[];
  /** Applied but unknown to this build (a newer release migrated first, e.g. a rolling deploy). */
  readonly unknown: string[];
  readonly applied: number;
  readonly current: boolean;
}

export async function migrationStatus(
  pool: Pool,
  files: readonly Migration[] = loadMigrations(),
): Promise<MigrationStatus> {
  const { rows } = await pool.query<{ version: string; checksum: string }>(
    'SELECT version, checksum FROM schema_migrations',
  );
  const applied = new Map(rows.map((r) => [r.version, r.checksum]));
  const known = new Set(files.map((f) => f.version));
  const pending = files.filter((f) => !applied.has(f.version)).map((f) => f.version);
  const changed = files
    .filter((f) => applied.has(f.version) && applied.get(f.version) !== f.checksum)
    .map((f) => f.version);
  const unknown = rows.filter((r) => !known.has(r.version)).map((r) => r.version);
  return {
    pending,
    changed,
    unknown,
    applied: rows.length,
    current: pending.length === 0 && changed.length === 0,
  };
}
