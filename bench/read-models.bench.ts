import { cpus, loadavg, totalmem } from 'node:os';
import { SingleBar } from 'cli-progress';
import {
  createPool,
  ensureAppRole,
  ensureDatabase,
  runMigrations,
  withTenant,
} from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import {
  allProjections,
  DuesProjection,
  ProjectionRunner,
  type Projection,
} from '@app/read-models';
import { generateLargeTenant, writeLargeTenant } from '@app/testing';
import { Client, type Pool } from 'pg';
import type { BenchResult } from './harness';
import { runQueries, type UnionRef } from './read-models.queries';
import {
  databaseUrl,
  LARGE_WRITE_SETTINGS,
  postgresCpuMs,
  printStatementTimes,
  resetStatements,
  sampleWaits,
  withBenchServer,
} from './bench-server';

/**
 * The read models at the scale of issue 6: a generated tenant of 250,000 members, 24 months of
 * payroll dues (BENCH_SCALE=0.1 for a tenth), written through the event store into a fresh
 * embedded PostgreSQL; then a rebuild of every projection (events/s, peak RSS) and the latency of
 * the HQ queries, as the application role under row-level security.
 * DATABASE_URL: use that server (superuser, for CREATE DATABASE and auto_explain) instead.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
/** Events per batch of the rebuild (each projection alone, and all together). */
const BATCH = Number(process.env.BENCH_REBUILD_BATCH ?? '5000');
/** Rebuild batches in flight (BENCH_REBUILD_WINDOW; default the runner's). */
const WINDOW = process.env.BENCH_REBUILD_WINDOW
  ? Number(process.env.BENCH_REBUILD_WINDOW)
  : undefined;
const LAST_PERIOD = '2026-10';
const APP_ROLE = 'union_bench_app';
const DATABASE = 'bench_read_models';

const url = databaseUrl;
/** The embedded cluster's postmaster (for its CPU time); undefined with DATABASE_URL. */
let postmaster: number | undefined;
const withServer = <T>(work: (maintenanceUrl: string) => Promise<T>) =>
  withBenchServer('rm', LARGE_WRITE_SETTINGS, (maintenanceUrl, pid) => {
    postmaster = pid;
    return work(maintenanceUrl);
  });

/** Samples the process's resident set size while `work` runs. */
async function sampled<T>(work: () => Promise<T>) {
  const samples: number[] = [];
  const sample = () => samples.push(process.memoryUsage().rss / 2 ** 20);
  sample();
  const timer = setInterval(sample, 200);
  const cpu = process.cpuUsage();
  try {
    const result = await work();
    sample();
    const used = process.cpuUsage(cpu);
    return { result, samples, cpuSeconds: (used.user + used.system) / 1e6 };
  } finally {
    clearInterval(timer);
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

/** Events read per second of `work`, with a progress bar. */
async function timed(
  label: string,
  total: number,
  work: (onProgress: (done: number) => void) => Promise<number>,
) {
  const bar = new SingleBar({
    format: `  ${label.padEnd(12)} {bar} {value}/{total} events | {speed} ev/s | ETA {eta_formatted}`,
    hideCursor: true,
    etaBuffer: 50,
  });
  bar.start(total, 0, { speed: 0 });
  const started = process.hrtime.bigint();
  const seconds = () => Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage();
  const pg0 = postgresCpuMs(postmaster);
  try {
    const events = await work((done) =>
      bar.update(Math.min(done, total), { speed: Math.round(done / Math.max(seconds(), 0.001)) }),
    );
    const used = process.cpuUsage(cpu);
    const s = seconds();
    const pg = (postgresCpuMs(postmaster) - pg0) / 1000;
    // CPU seconds compare between runs on a shared machine; the load average says how shared
    console.log(
      `  ${label}: ${events} events in ${s.toFixed(1)} s, ${Math.round(events / s)} ev/s, ` +
        `Node CPU ${((used.user + used.system) / 1e6).toFixed(1)} s, PostgreSQL CPU ${pg.toFixed(1)} s ` +
        `(${((1e6 * pg) / Math.max(events, 1)).toFixed(0)} µs/event), load average ${loadavg()[0]!.toFixed(1)}`,
    );
    return { events, seconds: s };
  } finally {
    bar.stop();
  }
}

/** A projection alone through `rebuild`, the path `npm run projections -- rebuild <name>` takes. */
const rebuild = (runner: ProjectionRunner, projection: Projection, total: number) =>
  timed(projection.name, total, (onProgress) => runner.rebuild([projection.name], onProgress));

/** BENCH_REBUILD_ALONE=dues,registry: only those alone (default every one); `none` skips them. */
const ALONE = process.env.BENCH_REBUILD_ALONE?.split(',').map((s) => s.trim());
/** BENCH_QUERIES=none: the rebuild only (no query latencies). */
const SKIP_QUERIES = process.env.BENCH_QUERIES === 'none';

export async function runReadModelsBench(): Promise<BenchResult[]> {
  console.log(
    `read-models bench: scale ${SCALE}, rebuild batches of ${BATCH} (window ${WINDOW ?? 'default'}), ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  return withServer(async (maintenanceUrl) => {
    const admin = new Client({ connectionString: maintenanceUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
    await ensureDatabase(maintenanceUrl, DATABASE);
    const ownerUrl = url(maintenanceUrl, DATABASE);
    await runMigrations(ownerUrl);
    await ensureAppRole(ownerUrl, APP_ROLE, APP_ROLE);
    const pool = createPool(url(ownerUrl, DATABASE, APP_ROLE, APP_ROLE), {
      max: 8,
      statementTimeoutMs: 600_000,
      applicationName: 'bench-read-models',
    });
    try {
      return await measureAll(pool, ownerUrl);
    } finally {
      await pool.end();
    }
  });
}

async function measureAll(pool: Pool, ownerUrl: string): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const store = new PostgresEventStore(pool);

  // --- the tenant, through the event store ---
  const tenant = generateLargeTenant({ scale: SCALE, seed: 42, lastPeriod: LAST_PERIOD });
  const c = tenant.counts;
  console.log(
    `  tenant: ${Object.entries(c.unionsByLevel)
      .map(([level, n]) => `${n} ${level}`)
      .join(', ')}; ${c.members} members (${c.active} active, ${c.activeFemale} women, ` +
      `${c.inArrears} in arrears), ${c.duesPaid} dues payments; ${c.events} events`,
  );
  const written = await writeLargeTenant(store, tenant);
  console.log(`  seeded ${written.events} events in ${written.seconds.toFixed(1)} s`);
  results.push({
    case: `seed: ${written.events} events through appendToStreams (${written.batches} calls)`,
    unit: 'events/s',
    value: written.eventsPerSecond,
  });

  // --- rebuild of every read model from the log ---
  const projections = allProjections();
  if (!projections.some((p) => p.name === new DuesProjection().name)) {
    console.log('  (dues projection not in allProjections() yet: added for this bench)');
    projections.push(new DuesProjection());
  }
  // the ceiling: reading the log in 5,000-event batches into a projection that writes nothing
  const noop: Projection = { name: 'bench-noop', tables: [], apply: () => Promise.resolve() };
  const ceiling = await rebuild(
    new ProjectionRunner(store, pool, [noop], { batchSize: 5000 }),
    noop,
    written.events,
  );
  results.push({
    case: 'read the log only (no-op projection)',
    unit: 'events/s',
    value: ceiling.events / ceiling.seconds,
  });
  const runner = new ProjectionRunner(store, pool, projections, {
    batchSize: Math.min(BATCH, 10_000), // the catch-up after the replay: one read each
    rebuildBatchSize: BATCH,
    rebuildWindow: WINDOW,
  });
  // each projection alone (where the time goes), then all of them together as `rebuild all` does
  for (const projection of projections.filter((p) => !ALONE || ALONE.includes(p.name))) {
    const r = await rebuild(runner, projection, written.events);
    results.push({
      case: `rebuild ${projection.name} alone (${r.events} events)`,
      unit: 'events/s',
      value: r.events / r.seconds,
    });
  }
  await resetStatements(ownerUrl);
  const {
    result: all,
    samples,
    cpuSeconds,
  } = await sampled(() =>
    sampleWaits(ownerUrl, () =>
      timed('all', written.events, (onProgress) => runner.rebuild(undefined, onProgress)),
    ),
  );
  await printStatementTimes(ownerUrl);
  const totalSeconds = all.seconds;
  const quarter = Math.max(1, Math.floor(samples.length / 4));
  const early = median(samples.slice(0, quarter));
  const late = median(samples.slice(-quarter));
  const peak = Math.max(...samples);
  results.push(
    {
      case: `rebuild all ${projections.length} read models together, one reader (target >= 50,000)`,
      unit: 'events/s',
      value: written.events / totalSeconds,
    },
    { case: 'rebuild all: peak RSS', unit: 'MiB', value: peak },
    { case: 'rebuild all: RSS, median of first quarter', unit: 'MiB', value: early },
    { case: 'rebuild all: RSS, median of last quarter', unit: 'MiB', value: late },
  );
  console.log(
    `  rebuilt all in ${totalSeconds.toFixed(1)} s: ${Math.round(written.events / totalSeconds)} events/s; ` +
      `RSS peak ${peak.toFixed(0)} MiB, first quarter ${early.toFixed(0)}, last quarter ${late.toFixed(0)}; ` +
      `Node CPU ${cpuSeconds.toFixed(1)} s (${Math.round((100 * cpuSeconds) / totalSeconds)} % of one core)`,
  );

  // --- the HQ queries ---
  if (SKIP_QUERIES) return results;
  const unions = await withTenant(pool, tenant.tenantId, async (client) => {
    await client.query('ANALYZE');
    const { rows } = await client.query<UnionRef>(
      'SELECT union_id, path, level FROM rm_unions WHERE tenant_id = $1 ORDER BY path',
      [tenant.tenantId],
    );
    return rows;
  });
  results.push(
    ...(await runQueries(
      {
        tenantId: tenant.tenantId,
        unions,
        lastPeriod: LAST_PERIOD,
        firstPeriod: tenant.plan.firstPeriod,
      },
      pool,
      ownerUrl,
      APP_ROLE,
    )),
  );
  return results;
}
