import 'reflect-metadata';
import { SingleBar } from 'cli-progress';
import { bootstrapDatabase, createPool, loadConfig } from '@app/database';
import {
  AUDIT_SEALER,
  listCheckpoints,
  PostgresEventStore,
  connectKurrentEventStore,
  type LogCheckpoint,
} from '@app/event-store';
import { allProjections, ProjectionRunner } from '@app/read-models';
import type { Pool } from 'pg';

/**
 * npm run projections -- status
 * npm run projections -- rebuild [name|all]
 *
 * Works beside a running `npm start` (attaches to its embedded PostgreSQL) or against
 * DATABASE_URL. A rebuild empties the read model and replays the log from the start; the live
 * leader (api or projector) keeps following afterwards, and the checkpoint compare-and-set keeps
 * the two from ever applying the same batch twice.
 */
async function stats(pool: Pool, checkpoint: LogCheckpoint) {
  const { rows } = await pool.query<{
    pending: string;
    oldest_pending: Date | null;
    total: string;
  }>('SELECT * FROM es_log_stats($1::xid8, $2)', [checkpoint.transactionId, checkpoint.position]);
  const row = rows[0]!;
  return { pending: Number(row.pending), oldest: row.oldest_pending, total: Number(row.total) };
}

async function status(pool: Pool, names: string[]): Promise<void> {
  const checkpoints = new Map((await listCheckpoints(pool)).map((c) => [c.name, c]));
  const table = [];
  for (const name of names) {
    const c = checkpoints.get(name);
    const at = c?.checkpoint ?? { transactionId: '0', position: 0 };
    const s = await stats(pool, at);
    table.push({
      projection: name,
      'checkpoint position': at.position,
      'events done': c?.eventsDone ?? 0,
      'lag (events)': s.pending,
      'lag (s)': s.oldest ? Math.round((Date.now() - s.oldest.getTime()) / 1000) : 0,
      'updated at': c?.updatedAt.toISOString() ?? 'never',
      failed: c?.failedReason ? `at ${c.failedPosition}: ${c.failedReason}` : '',
    });
  }
  console.table(table);
}

/** One reader for every named projection (see ProjectionRunner.rebuild), with a progress bar. */
async function rebuild(pool: Pool, runner: ProjectionRunner, names: string[]): Promise<void> {
  const { total } = await stats(pool, { transactionId: '0', position: 0 });
  const bar = new SingleBar({
    format: `${names.join(', ')} {bar} {value}/{total} events | {speed} ev/s | ETA {eta_formatted}`,
    hideCursor: true,
  });
  bar.start(total, 0, { speed: 0 });
  const started = Date.now();
  const speed = (done: number) => Math.round(done / Math.max((Date.now() - started) / 1000, 0.001));
  const done = await runner.rebuild(names, (n) =>
    bar.update(Math.min(n, total), { speed: speed(n) }),
  );
  bar.stop();
  const seconds = (Date.now() - started) / 1000;
  console.log(
    `${names.join(', ')}: ${done} events in ${seconds.toFixed(1)} s (${speed(done)} ev/s)`,
  );
}

async function main(): Promise<void> {
  const [command = 'status', target = 'all'] = process.argv.slice(2);
  const config = loadConfig();
  const database = await bootstrapDatabase(config);
  const pool = createPool(database.appUrl, {
    ...config.pool,
    statementTimeoutMs: 600_000,
    applicationName: 'projections-cli',
  });
  let closeStore: (() => Promise<void>) | undefined;
  try {
    // the log the projections follow: the events table, or KurrentDB's $all (EVENT_STORE)
    const store =
      config.eventStore.kind === 'kurrentdb'
        ? connectKurrentEventStore(config.eventStore.url)
        : new PostgresEventStore(pool);
    closeStore = 'close' in store ? () => store.close() : undefined;
    const runner = new ProjectionRunner(store, pool, allProjections(), {
      batchSize: 5000,
    });
    const known = runner.projections.map((p) => p.name);
    if (command === 'status') {
      await status(pool, [...known, AUDIT_SEALER]);
    } else if (command === 'rebuild') {
      const names = target === 'all' ? known : [runner.projection(target).name];
      await rebuild(pool, runner, names);
    } else {
      throw new Error(
        `unknown command "${command}": use status or rebuild [name|all] (projections: ${known.join(', ')})`,
      );
    }
  } finally {
    await closeStore?.();
    await pool.end();
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error && error.message ? error.message : error);
    process.exit(1);
  },
);
