import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, createReadStream, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { parse } from 'csv-parse';
import { mintToken } from '@app/auth';
import { createPool, ensureAppRole, ensureDatabase, freePort, runMigrations } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner, allProjections } from '@app/read-models';
import { writeRollCsv } from '@app/testing';
import { startApi, waitUntilReady } from './api.bench';
import {
  LARGE_WRITE_SETTINGS,
  databaseUrl,
  printStatementTimes,
  resetStatements,
  productionApiEnv,
  withBenchServer,
} from './bench-server';
import type { BenchResult } from './harness';
import { postgresCpuByKind } from './postgres-cpu';

/**
 * Issue 9, "Benchmark": a 250,000-row roll (BENCH_SCALE=0.1 for a tenth), end to end through the
 * real CLI process (`import-cli.js members`, its own peak RSS) and through the `importMembers`
 * mutation of the real API process in chunks; the peer, in the same run on the same server, is a
 * raw PostgreSQL `COPY` of the same file into a plain table. BENCH_IMPORT_CPU_PROF=<dir>: the CLI
 * writes a V8 CPU profile there; BENCH_IMPORT_ONLY=cli stops after the CLI and the read models'
 * catch-up, =cli-only right after the CLI's two runs. BENCH_IMPORT_NODE_ARGS: more node flags for
 * the CLI. BENCH_STATEMENTS=1: the statements of each CLI run by database time.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const ROWS = Math.max(1_000, Math.round(250_000 * SCALE));
/** Rows per mutation: each waits for all read models, which must take its events within 10 s. */
const CHUNK = 500;
const APP_ROLE = 'union_bench_app';
const DATABASE = 'bench_import';
const TENANT = 'bench-import';
const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

async function catchUp(appUrl: string): Promise<void> {
  const pool = createPool(appUrl, { max: 2, statementTimeoutMs: 600_000 });
  await new ProjectionRunner(new PostgresEventStore(pool), pool, allProjections()).catchUp();
  await pool.end();
}

async function seedTree(appUrl: string): Promise<void> {
  const pool = createPool(appUrl, { max: 2, applicationName: 'bench-import-seed' });
  const store = new PostgresEventStore(pool);
  const tree = [
    ['co', 'COMPANY', null],
    ['s1', 'SECONDARY_UNIT', 'co'],
    ['b1', 'BRIGADE', 's1'],
    ['t1', 'TEAM', 'b1'],
    ['t2', 'TEAM', 'b1'],
  ] as const;
  for (const [unionId, level, parentId] of tree)
    await store.appendToStream(TENANT, `union-${unionId}`, [
      {
        type: 'UnionEstablished',
        data: { unionId, name: unionId, level, parentId, establishedOn: '2000-01-01' },
      },
    ]);
  await new ProjectionRunner(store, pool, allProjections()).catchUp();
  await pool.end();
}

/** The node flags `npm run import` runs the CLI with (package.json), so the bench measures the same. */
function cliNodeFlags(): string[] {
  const scripts = (
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const flags = /\bnode ((?:--\S+ )*)dist\//.exec(scripts.import ?? '')?.[1] ?? '';
  return flags.split(' ').filter((flag) => flag !== '');
}

/** The CLI as a child process; its output carries its own peak RSS and CPU time. */
async function runCli(
  env: Record<string, string>,
  file: string,
): Promise<{ seconds: number; out: string }> {
  const cli = join(__dirname, '..', 'apps', 'projector', 'src', 'import-cli.js');
  const started = process.hrtime.bigint();
  const child = spawn(
    process.execPath,
    [
      ...cliNodeFlags(),
      ...(process.env.BENCH_IMPORT_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_IMPORT_CPU_PROF}`]
        : []),
      // e.g. --trace-gc or --heapsnapshot-signal=SIGUSR2, to see what holds the memory
      ...(process.env.BENCH_IMPORT_NODE_ARGS?.split(' ').filter((a) => a !== '') ?? []),
      cli,
      'members',
      '--tenant',
      TENANT,
      '--union',
      't1',
      '--no-progress',
      file,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const [code] = (await once(child, 'exit')) as [number];
  if (code !== 0) throw new Error(`import CLI failed:\n${out}`);
  return { seconds: seconds(started), out };
}

/** The file's rows as mutation rows, CHUNK at a time (streamed, as a client would send them). */
async function* chunks(file: string): AsyncGenerator<Record<string, string | null>[]> {
  let batch: Record<string, string | null>[] = [];
  let header = true;
  for await (const c of readCsv(file)) {
    if (header) {
      header = false;
      continue;
    }
    const [employeeNo, name, gender, joinedOn, cardNumber, nationalId, phone] = c;
    batch.push({
      employeeNo: `G${employeeNo}`,
      name: name ?? '',
      gender: gender === '女' ? 'FEMALE' : 'MALE',
      joinedOn: (joinedOn ?? '').replace(/\//g, '-').replace(/-(\d)(?=-|$)/g, '-0$1'),
      cardNumber: cardNumber ? `G${cardNumber}` : null,
      nationalId: nationalId || null,
      phone: phone || null,
    });
    if (batch.length === CHUNK) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

const readCsv = (file: string): AsyncIterable<string[]> =>
  createReadStream(file).pipe(parse({ bom: true })) as AsyncIterable<string[]>;

function cliResults(
  copyRate: number,
  cli: { seconds: number },
  accepted: number,
  rss: number,
  rerun: { seconds: number },
): BenchResult[] {
  const cliRate = ROWS / cli.seconds;
  return [
    {
      case: `CLI, ${ROWS} rows (target >= 50,000 rows/s)`,
      unit: 'rows/s',
      value: cliRate,
      peer: 'raw COPY',
      peerValue: copyRate,
      ratio: cliRate / copyRate,
    },
    { case: 'CLI rows imported', unit: 'rows', value: accepted },
    { case: 'CLI peak RSS (target <= 400)', unit: 'MiB', value: rss },
    { case: 'CLI re-run of the same file', unit: 'rows/s', value: ROWS / rerun.seconds },
  ];
}

export async function runImportBench(): Promise<BenchResult[]> {
  console.log(
    `import bench: ${ROWS} rows, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, CLI flags ${cliNodeFlags().join(' ')}`,
  );
  const dir = mkdtempSync(join(tmpdir(), 'union-bench-import-'));
  try {
    const file = join(dir, 'roll.csv');
    await writeRollCsv(file, { rows: ROWS, encoding: 'utf8', headers: 'zh', before: '2026-01-01' });
    // the server process reads the file for COPY
    chmodSync(dir, 0o755);
    chmodSync(file, 0o644);
    return await withBenchServer('import', LARGE_WRITE_SETTINGS, async (maintenanceUrl, pmPid) => {
      const admin = new Client({ connectionString: maintenanceUrl });
      admin.on('error', () => undefined);
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
      await admin.end();
      await ensureDatabase(maintenanceUrl, DATABASE);
      const ownerUrl = databaseUrl(maintenanceUrl, DATABASE);
      await runMigrations(ownerUrl);
      await ensureAppRole(ownerUrl, APP_ROLE, APP_ROLE);
      const appUrl = databaseUrl(ownerUrl, DATABASE, APP_ROLE, APP_ROLE);
      await seedTree(appUrl);
      const env = productionApiEnv(ownerUrl, appUrl, dir);

      // the peer: the same file by COPY into a plain table (server-side, same machine)
      const owner = new Client({ connectionString: ownerUrl });
      owner.on('error', () => undefined); // the cluster stopping after a failure is not the story
      await owner.connect();
      await owner.query(
        `CREATE TABLE raw_roll (employee_no text, name text, gender text, joined_on text, card_number text,
           national_id text, phone text, status text, dues_exempt text)`,
      );
      const t0 = process.hrtime.bigint();
      await owner.query(`COPY raw_roll FROM '${file}' WITH (FORMAT csv, HEADER true)`);
      const copySeconds = seconds(t0);
      await owner.end();
      console.log(`  raw COPY: ${ROWS} rows in ${copySeconds.toFixed(2)} s`);

      const copyRate = ROWS / copySeconds;
      await resetStatements(ownerUrl);
      const {
        result: cli,
        totalMs: pgMs,
        byKind,
      } = await postgresCpuByKind(pmPid, () => runCli(env, file));
      const rss = Number(/peak RSS (\d+) MiB/.exec(cli.out)?.[1] ?? NaN);
      const cliMs = Number(/CPU (\d+) ms/.exec(cli.out)?.[1] ?? NaN);
      console.log(`  CLI: ${cli.out.trim().split('\n').join('\n       ')}`);
      console.log(
        `  CPU per row: CLI ${((cliMs * 1000) / ROWS).toFixed(0)} µs, PostgreSQL ${((pgMs * 1000) / ROWS).toFixed(0)} µs`,
      );
      // no projector runs meanwhile: the read models catch up after the re-run
      console.log(
        `  PostgreSQL µs per row by process: ${Object.entries(byKind)
          .filter(([, ms]) => Math.abs(ms) >= 1)
          .sort((x, y) => y[1] - x[1])
          .map(([kind, ms]) => `${kind} ${((ms * 1000) / ROWS).toFixed(1)}`)
          .join(', ')}`,
      );
      const cliAccepted = Number(/(\d+) imported/.exec(cli.out)?.[1] ?? 0);
      await printStatementTimes(ownerUrl);
      await resetStatements(ownerUrl);
      const rerun = await runCli(env, file);
      console.log(`  CLI re-run: ${rerun.out.trim().split('\n')[0]}`);
      await printStatementTimes(ownerUrl);

      if (process.env.BENCH_IMPORT_ONLY === 'cli-only')
        return cliResults(copyRate, cli, cliAccepted, rss, rerun);
      // the read models take in the CLI's import first (not timed): the API then starts level
      const t1 = process.hrtime.bigint();
      await catchUp(appUrl);
      console.log(`  read models caught up with the CLI import in ${seconds(t1).toFixed(1)} s`);

      if (process.env.BENCH_IMPORT_ONLY === 'cli')
        return cliResults(copyRate, cli, cliAccepted, rss, rerun);
      // the mutation in chunks, through the API process (it waits for its read models each time)
      const server = startApi(env, await freePort());
      const graphql = server.graphqlUrl;
      try {
        await waitUntilReady(server);
        const token = await mintToken(env.AUTH_JWT_SECRET, {
          sub: 'bench-officer',
          tenant: TENANT,
          roles: ['OFFICER'],
        });
        const post = (body: unknown) =>
          fetch(graphql, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify(body),
          });
        const started = process.hrtime.bigint();
        let accepted = 0;
        let retries = 0;
        const latencies: number[] = [];
        for await (const rows of chunks(file)) {
          const t = process.hrtime.bigint();
          // a chunk whose read models lag past 10 s is retried with its command id (no double import)
          const commandId = randomUUID();
          let reply: { data?: { importMembers: { accepted: number } }; errors?: unknown } = {};
          for (let attempt = 0; attempt < 20 && !reply.data; attempt++) {
            reply = (await (
              await post({
                query:
                  'mutation M($input: ImportMembersInput!) { importMembers(input: $input) { accepted rejected errors } }',
                variables: { input: { commandId, unionId: 't2', rows } },
              })
            ).json()) as typeof reply;
            if (!reply.data && !JSON.stringify(reply.errors).includes('CONSISTENCY_TIMEOUT')) break;
            retries += reply.data ? 0 : 1;
          }
          if (!reply.data) throw new Error(`importMembers failed: ${JSON.stringify(reply.errors)}`);
          accepted += reply.data.importMembers.accepted;
          latencies.push(seconds(t) * 1000);
        }
        const apiSeconds = seconds(started);
        latencies.sort((a, b) => a - b);
        const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
        const serverPeak = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0) / 1024;
        console.log(
          `  GraphQL: ${accepted} accepted in ${apiSeconds.toFixed(1)} s (${retries} retries after a read-model timeout); server peak RSS ${serverPeak.toFixed(0)} MiB`,
        );
        return [
          ...cliResults(copyRate, cli, cliAccepted, rss, rerun),
          {
            case: `GraphQL importMembers, chunks of ${CHUNK}`,
            unit: 'rows/s',
            value: accepted / apiSeconds,
            p50Ms: latencies[Math.floor(latencies.length / 2)] ?? 0,
            p99Ms: latencies[Math.ceil(latencies.length * 0.99) - 1] ?? 0,
            peer: 'raw COPY',
            peerValue: copyRate,
            ratio: accepted / apiSeconds / copyRate,
          },
          { case: 'API server peak RSS', unit: 'MiB', value: serverPeak },
        ];
      } finally {
        await server.stop();
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
