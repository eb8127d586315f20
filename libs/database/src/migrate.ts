import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Client } from 'pg';

/** Versioned SQL files, applied in name order, once each, under an advisory lock. */
export interface Migration {
  readonly version: string;
  readonly sql: string;
  readonly checksum: string;
}

const MIGRATION_LOCK = 74_210_001;

/** Finds libs/database/migrations from both the sources (Jest) and the build (dist/). */
export function migrationsDirectory(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'libs', 'database', 'migrations');
    if (existsSync(candidate)) return candidate;
    const sibling = join(dir, 'migrations');
    if (dir.endsWith(join('libs', 'database')) && existsSync(sibling)) return sibling;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`migrations directory not found above ${start}`);
    dir = parent;
  }
}

export function loadMigrations(directory = migrationsDirectory()): Migration[] {
  return readdirSync(directory)
    .filter((file) => /^\d{4}_[\w-]+\.sql$/.test(file))
    .sort()
    .map((file) => {
      const sql = readFileSync(join(directory, file), 'utf8');
      return {
        version: file.replace(/\.sql$/, ''),
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    });
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: number;
}

/**
 * Applies pending migrations as the connecting (owner) role. Each file runs in its own
 * transaction; an edited file that was already applied stops the run (checksums differ).
 */
export async function runMigrations(
  ownerUrl: string,
  migrations: Migration[] = loadMigrations(),
): Promise<MigrationReport> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version text PRIMARY KEY, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: string; checksum: string }>(
      'SELECT version, checksum FROM schema_migrations',
    );
    const done = new Map(rows.map((r) => [r.version, r.checksum]));
    const applied: string[] = [];
    for (const migration of migrations) {
      const checksum = done.get(migration.version);
      if (checksum !== undefined) {
        if (checksum !== migration.checksum) {
          throw new Error(
            `migration ${migration.version} was changed after it was applied; add a new migration instead`,
          );
        }
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(migration.sql);
        await client.query('INSERT INTO schema_migrations (version, checksum) VALUES ($1, $2)', [
          migration.version,
          migration.checksum,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${migration.version} failed: ${(error as Error).message}`, {
          cause: error,
        });
      }
      applied.push(migration.version);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
