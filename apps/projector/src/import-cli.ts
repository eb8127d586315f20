import 'reflect-metadata';
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { SingleBar } from 'cli-progress';
import { isPeriod } from '@app/core';
import { bootstrapDatabase, createPool, loadConfig } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  ActorUnits,
  PostgresPersonalDataProtector,
  ReadModelMemberFacts,
  developmentKek,
} from '@app/read-models';
import { ImportDuesPayrollHandler, ImportMembersHandler } from '@app/unions';
import { statSync } from 'node:fs';
import { importPayrollFile } from './import/payroll-import';
import { importRollFile, type ImportProgress } from './import/roll-import';

const USAGE = `usage:
  npm run import -- members --tenant T --union U roll.csv
  npm run import -- payroll --tenant T --union U --period 2026-10 payroll.csv`;

/** A progress bar over the file's bytes, with rows, rows/s and ETA. */
function progressBar(file: string): { update: (p: ImportProgress) => void; stop: () => void } {
  const total = statSync(file).size;
  const bar = new SingleBar({
    format: '{bar} {percentage}% | {rows} rows | {speed} rows/s | ETA {eta_formatted}',
    hideCursor: true,
  });
  const started = Date.now();
  bar.start(total, 0, { rows: 0, speed: 0 });
  return {
    update: ({ rows, bytes }) =>
      bar.update(Math.min(bytes, total), {
        rows,
        speed: Math.round(rows / Math.max((Date.now() - started) / 1000, 0.001)),
      }),
    stop: () => bar.stop(),
  };
}

/**
 * Attaches to the running embedded PostgreSQL (or DATABASE_URL / DATABASE_APP_URL) and connects
 * as the application role, so row-level security applies as in the API. The operator acts as
 * `cli:<os user>`, an officer of the whole tenant: whoever may run this holds database access.
 */
async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      tenant: { type: 'string' },
      union: { type: 'string' },
      period: { type: 'string' },
      'no-progress': { type: 'boolean', default: false },
    },
  });
  const [kind, file] = positionals;
  if ((kind !== 'members' && kind !== 'payroll') || !file || !values.tenant || !values.union)
    throw new Error(USAGE);
  if (kind === 'payroll' && !isPeriod(values.period ?? ''))
    throw new Error(`--period YYYY-MM is required\n${USAGE}`);
  const tenantId = values.tenant;
  const unionId = values.union;

  const config = loadConfig();
  const database = await bootstrapDatabase(config);
  const pool = createPool(database.appUrl, {
    ...config.pool,
    max: 4,
    statementTimeoutMs: 600_000,
    applicationName: 'import-cli',
  });
  const actor = `cli:${userInfo().username}`;
  const actors = new ActorUnits();
  actors.register(tenantId, actor, '/');
  const store = new PostgresEventStore(pool);
  const facts = new ReadModelMemberFacts(pool, actors);
  const bar = values['no-progress'] ? null : progressBar(file);
  const metadata = { tenantId, actor, now: new Date() };
  try {
    if (kind === 'members') {
      const kek = config.piiMasterKey ?? developmentKek(config.dataDir);
      const handler = new ImportMembersHandler(
        store,
        facts,
        new PostgresPersonalDataProtector(pool, kek),
      );
      const s = await importRollFile({
        file,
        unionId,
        handler,
        metadata,
        onProgress: (p) => bar?.update(p),
      });
      bar?.stop();
      console.log(
        `${s.rows} rows (${s.encoding}) in ${s.seconds.toFixed(1)} s, ${Math.round(s.rows / Math.max(s.seconds, 0.001))} rows/s: ` +
          `${s.accepted} imported, ${s.rejected} rejected, ${s.alreadyImported} already imported`,
      );
      report(s.reasons, s.rejectsFile, s.lastPosition);
    } else {
      const handler = new ImportDuesPayrollHandler(store, facts);
      const s = await importPayrollFile({
        file,
        unionId,
        period: values.period ?? '',
        pool,
        handler,
        metadata,
        onProgress: (p) => bar?.update(p),
      });
      bar?.stop();
      console.log(
        `${s.rows} rows (${s.encoding}) in ${s.seconds.toFixed(1)} s: ${s.accepted} paid ` +
          `(CNY ${(s.totalFen / 100).toFixed(2)}), ${s.rejected} rejected, ${s.alreadyPaid} already paid`,
      );
      report(s.reasons, s.rejectsFile, s.lastPosition);
    }
  } finally {
    bar?.stop();
    await pool.end();
    await database.close();
  }
}

function report(
  reasons: Record<string, number>,
  rejectsFile: string | null,
  position: number | null,
) {
  for (const [reason, n] of Object.entries(reasons).sort((a, b) => b[1] - a[1]))
    console.log(`  ${reason}: ${n}`);
  if (rejectsFile)
    console.log(`rejected rows with their reasons: ${rejectsFile} (correct and import it again)`);
  if (position !== null)
    console.log(`last position ${position} (read models follow through the projector)`);
  const usage = process.resourceUsage();
  console.log(
    `peak RSS ${Math.round(usage.maxRSS / 1024)} MiB, CPU ${Math.round((usage.userCPUTime + usage.systemCPUTime) / 1000)} ms`,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    // messages carry codes, fields and row numbers, never a row's values
    console.error(error instanceof Error && error.message ? error.message : error);
    process.exit(1);
  },
);
