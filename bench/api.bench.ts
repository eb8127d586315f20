import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@app/auth';
import { addMonthsToPeriod } from '@app/core';
import { createPool, ensureAppRole, ensureDatabase, freePort, runMigrations } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { allProjections } from '@app/read-models';
import autocannon from 'autocannon';
import { Client } from 'pg';
import { ensureDemoTenant } from '../apps/api/src/demo/demo-tenant';
import { percentile, type BenchResult } from './harness';
import {
  databaseUrl,
  printStatements,
  printStatementTimes,
  resetStatements,
  withBenchServer,
  MANY_CLIENTS_SETTINGS,
  benchLog,
  productionApiEnv,
} from './bench-server';

/**
 * The GraphQL API under load (issue 7, "Benchmark"): the built server (dist/apps/api/src/main.js)
 * in a child process over a fresh embedded PostgreSQL (durable settings), seeded with the demo
 * tenant; autocannon in this process fires a read mix (HQ roll-up of the root union, a roster
 * page, a union by id) and then a write mix (recordDuesPayment, every request a distinct
 * commandId and an unpaid (member, period) pair), each for 20 s on 32 connections. Reports
 * req/s, p50/p99 and the server's peak RSS (/proc/<pid>/status, every 250 ms), and checks that
 * every successful write appended exactly one DuesPaid event.
 * The read mix runs a second time on another server with RESPONSE_CACHE_MS=0 (what the response
 * cache buys); RESPONSE_CACHE_MS from the environment sets the first server's maximum age.
 * BENCH_API_MIX=reads (or writes): one mix only. BENCH_SCALE=0.25: 5 s per mix. BENCH_API_CPU_PROF=<dir>: the server writes a V8 CPU profile
 * there when it stops. DB_POOL_MAX is passed through to the server.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const SECONDS = Math.max(2, Math.round(20 * SCALE));
const WARMUP_SECONDS = Math.max(1, Math.round(3 * SCALE));
const CONNECTIONS = 32;
/** BENCH_API_MIX=reads or =writes: one mix only (quicker rounds while working on one side). */
const MIX = (process.env.BENCH_API_MIX ?? 'reads,writes').split(',');
const READS = MIX.includes('reads');
const WRITES = MIX.includes('writes');
const DATABASE = 'bench_api';
const APP_ROLE = 'union_bench_app';
const ROSTER_PAGE = 50;
/** Writes stop taking pairs once fewer members than this still have an unpaid period. */
const MIN_MEMBERS_PER_ROUND = 8 * CONNECTIONS;
const WAGE_BASE_FEN = 750_000;

const url = databaseUrl;
const withServer = <T>(
  work: (maintenanceUrl: string, postmasterPid: number | undefined) => Promise<T>,
) => withBenchServer('api', MANY_CLIENTS_SETTINGS, work);

// --- the server in a child process ---

export interface ServerProcess {
  child: ChildProcess;
  graphqlUrl: string;
  /** The last lines it printed, for a failure message. */
  tail(): string;
  stop(): Promise<void>;
}

export function startApi(env: Record<string, string>, port: number): ServerProcess {
  const main = join(__dirname, '..', 'apps', 'api', 'src', 'main.js');
  const profileDir = process.env.BENCH_API_CPU_PROF;
  const args = [...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []), main];
  const child = spawn(process.execPath, args, {
    cwd: process.cwd(),
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 40) lines.splice(0, lines.length - 40);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    child,
    graphqlUrl: `http://127.0.0.1:${port}/graphql`,
    tail: () => lines.join('\n'),
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM'); // the server's own shutdown: drains, ends its pool, exits
      const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

// --- CPU accounting: on a shared machine, CPU per request says more than req/s ---

const CLOCK_TICKS = 100; // USER_HZ on Linux

/** utime + stime (ms), stime alone, and parent pid of a process, from /proc; undefined when gone. */
function procCpu(pid: number): { ms: number; systemMs: number; ppid: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return {
      ms: ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS,
      systemMs: (Number(fields[12]) * 1000) / CLOCK_TICKS,
      ppid: Number(fields[1]),
    };
  } catch {
    return undefined;
  }
}

interface CpuSnapshot {
  server: number;
  serverSystem: number;
  bench: number;
  /** Per PostgreSQL process (the postmaster and its children). */
  postgres: Map<number, number>;
}

function cpuSnapshot(serverPid: number, postmasterPid: number | undefined): CpuSnapshot {
  const postgres = new Map<number, number>();
  if (postmasterPid !== undefined) {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue;
      const pid = Number(entry);
      const cpu = procCpu(pid);
      if (cpu && (pid === postmasterPid || cpu.ppid === postmasterPid)) postgres.set(pid, cpu.ms);
    }
  }
  const own = process.cpuUsage();
  const server = procCpu(serverPid);
  return {
    server: server?.ms ?? 0,
    serverSystem: server?.systemMs ?? 0,
    bench: (own.user + own.system) / 1000,
    postgres,
  };
}

/** CPU ms spent between two snapshots by the server, PostgreSQL and this process. */
function cpuSpent(from: CpuSnapshot, to: CpuSnapshot) {
  let postgres = 0;
  for (const [pid, ms] of to.postgres) postgres += ms - (from.postgres.get(pid) ?? 0);
  return {
    server: to.server - from.server,
    serverSystem: to.serverSystem - from.serverSystem,
    postgres,
    bench: to.bench - from.bench,
  };
}

/** Samples a process's resident set (VmRSS) every 250 ms. */
export function rssSampler(pid: number) {
  const read = (): number => {
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return match ? Number(match[1]) / 1024 : 0;
    } catch {
      return 0; // gone, or not Linux
    }
  };
  let peak = 0;
  let phasePeak = 0;
  const sample = () => {
    const mib = read();
    peak = Math.max(peak, mib);
    phasePeak = Math.max(phasePeak, mib);
    return mib;
  };
  const timer = setInterval(sample, 250);
  timer.unref();
  return {
    now: sample,
    peak: () => peak,
    /** The peak since the last call. */
    phase: () => {
      sample();
      const value = phasePeak;
      phasePeak = 0;
      return value;
    },
    stop: () => clearInterval(timer),
  };
}

// --- GraphQL over fetch, for setup ---

interface Reply<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

async function gql<T>(
  endpoint: string,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<T> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  const reply = (await response.json()) as Reply<T>;
  if (reply.errors?.length || !reply.data)
    throw new Error(`GraphQL: ${JSON.stringify(reply.errors ?? reply)}`);
  return reply.data;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Unloaded latency: `bodies` one after another on one connection; p50 and p99 in ms. */
async function probe(endpoint: string, token: string, bodies: string[]) {
  const latencies: number[] = [];
  for (const text of bodies) {
    const started = performance.now();
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: text,
    });
    const reply = await response.text();
    latencies.push(performance.now() - started);
    if (!response.ok || reply.includes('"errors"'))
      throw new Error(`probe failed: ${response.status} ${reply.slice(0, 400)}`);
  }
  latencies.sort((a, b) => a - b);
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

const PROBES = 40;

interface HealthData {
  health: { headPosition: string; followers: { name: string; lagEvents: number }[] };
}

export async function waitUntilReady(server: ServerProcess, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`the API exited with ${server.child.exitCode}:\n${server.tail()}`);
    try {
      await gql<HealthData>(server.graphqlUrl, '{ health { headPosition } }');
      return;
    } catch (error) {
      if (Date.now() > deadline)
        throw new Error(`the API did not answer in time:\n${server.tail()}`, { cause: error });
      await sleep(250);
    }
  }
}

/**
 * Until every follower of the server has applied the whole log (a projection that has not
 * written its first checkpoint yet is not listed: each of allProjections() must be there).
 */
export async function waitForProjections(endpoint: string, timeoutMs = 600_000): Promise<number> {
  const started = Date.now();
  const required = allProjections().map((p) => p.name);
  for (;;) {
    const { health } = await gql<HealthData>(
      endpoint,
      '{ health { headPosition followers { name lagEvents } } }',
    );
    const listed = new Set(health.followers.map((f) => f.name));
    const behind = [
      ...required.filter((name) => !listed.has(name)).map((name) => ({ name, lagEvents: null })),
      ...health.followers.filter((f) => f.lagEvents > 0),
    ];
    if (behind.length === 0) return (Date.now() - started) / 1000;
    if (Date.now() - started > timeoutMs)
      throw new Error(`projections still behind: ${JSON.stringify(behind)}`);
    await sleep(250);
  }
}

// --- the request mixes ---

const body = (query: string, variables: Record<string, unknown>) =>
  JSON.stringify({ query, variables });

const ROLLUP = `query Rollup($id: ID!) { union(id: $id) { id name level
  stats { members subtreeMembers subtreeFemaleMembers subtreeUnions arrearsMembers retainedMembers }
  children { id name level stats { subtreeMembers subtreeFemaleMembers arrearsMembers } } } }`;
const ROSTER = `query Roster($unionId: ID!, $after: String) {
  members(unionId: $unionId, includeSubtree: true, first: ${ROSTER_PAGE}, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    nodes { id name employeeNo gender status unionId joinedOn lastPaidPeriod consecutiveUnpaidMonths } } }`;
const UNION = `query Union($id: ID!) { union(id: $id) { id name level status parentId governanceForm
  termEnd version stats { members subtreeMembers } } }`;
const READ_KINDS = ['HQ roll-up', 'roster page', 'union by id'];
const PAY = `mutation Pay($input: RecordDuesPaymentInput!) { recordDuesPayment(input: $input) {
  position member { id lastPaidPeriod version } } }`;

interface RosterPage {
  members: {
    totalCount: number;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
    nodes: {
      id: string;
      status: string;
      joinedOn: string | null;
      duesExempt: boolean;
    }[];
  };
}

/** Every member of the tenant, through the API (pages of 500). */
async function allMembers(endpoint: string, token: string, rootId: string) {
  const members: RosterPage['members']['nodes'] = [];
  let after: string | null = null;
  for (;;) {
    const page: RosterPage = await gql<RosterPage>(
      endpoint,
      `query($u: ID!, $after: String) { members(unionId: $u, includeSubtree: true, first: 500, after: $after) {
         totalCount pageInfo { hasNextPage endCursor } nodes { id status joinedOn duesExempt } } }`,
      { u: rootId, after },
      token,
    );
    members.push(...page.members.nodes);
    if (!page.members.pageInfo.hasNextPage) return members;
    after = page.members.pageInfo.endCursor;
  }
}

/** Root roll-ups, roster pages (the root's first pages and each secondary unit's) and unions by id, interleaved. */
async function readBodies(endpoint: string, token: string, rootId: string): Promise<string[]> {
  const { subordinateUnions } = await gql<{
    subordinateUnions: { nodes: { id: string; level: string }[] };
  }>(
    endpoint,
    `query($r: ID!) { subordinateUnions(rootId: $r, first: 500) { nodes { id level } } }`,
    { r: rootId },
    token,
  );
  const unions = [rootId, ...subordinateUnions.nodes.map((u) => u.id)];
  const rosters: string[] = [];
  let after: string | null = null;
  for (let page = 0; page < 5; page++) {
    rosters.push(body(ROSTER, { unionId: rootId, after }));
    const data: RosterPage = await gql<RosterPage>(
      endpoint,
      ROSTER,
      { unionId: rootId, after },
      token,
    );
    if (!data.members.pageInfo.hasNextPage) break;
    after = data.members.pageInfo.endCursor;
  }
  for (const u of subordinateUnions.nodes.filter((n) => n.level === 'SECONDARY_UNIT'))
    rosters.push(body(ROSTER, { unionId: u.id, after: null }));
  const rollup = body(ROLLUP, { id: rootId });
  // in the order of READ_KINDS
  return unions.flatMap((id, i) => [rollup, rosters[i % rosters.length]!, body(UNION, { id })]);
}

/**
 * Distinct unpaid (member, period) pairs: active, liable members from the roster, periods from
 * the joining month to the current one minus what the dues ledger holds; round-robin over the
 * members, so that the 32 connections never write the same member stream at once.
 */
async function writePairs(
  endpoint: string,
  token: string,
  rootId: string,
  ownerUrl: string,
  tenantId: string,
) {
  const members = (await allMembers(endpoint, token, rootId)).filter(
    (m) => m.status === 'ACTIVE' && !m.duesExempt && m.joinedOn,
  );
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  const paid = new Set<string>();
  try {
    const { rows } = await owner.query<{ member_id: string; period: string }>(
      'SELECT member_id, period FROM rm_dues_ledger WHERE tenant_id = $1',
      [tenantId],
    );
    for (const r of rows) paid.add(`${r.member_id}/${r.period}`);
  } finally {
    await owner.end();
  }
  // the current month where the day has begun everywhere (the domain refuses future periods)
  const current = new Date(Date.now() - 14 * 3600_000).toISOString().slice(0, 7);
  const unpaid = members.map((m) => {
    const periods: string[] = [];
    for (let p = current; p >= m.joinedOn!.slice(0, 7); p = addMonthsToPeriod(p, -1))
      if (!paid.has(`${m.id}/${p}`)) periods.push(p);
    return { id: m.id, periods };
  });
  const pairs: { memberId: string; period: string }[] = [];
  for (let round = 0; ; round++) {
    const open = unpaid.filter((m) => m.periods.length > round);
    if (open.length < MIN_MEMBERS_PER_ROUND) break;
    for (const m of open) pairs.push({ memberId: m.id, period: m.periods[round]! });
  }
  return { members: members.length, pairs };
}

interface Load {
  result: autocannon.Result;
  ok: number;
  failed: number;
  /** Request indices answered 2xx without GraphQL errors, and the others. */
  okIndices: Set<number>;
  failedIndices: Set<number>;
  /** Per kind of request (when asked for): latencies in ms, measured here. */
  latencies: Map<string, number[]>;
  samples: string[];
  load1: number;
}

/** Per connection: the index of the request in flight (pipelining 1). */
interface Slot {
  index?: number;
  builtAt?: number;
}

/** autocannon on CONNECTIONS connections; `next(i)` is the body of the i-th request. */
async function fire(
  endpoint: string,
  token: string,
  seconds: number,
  next: (i: number) => string,
  options: { maxRequests?: number; kind?: (i: number) => string } = {},
): Promise<Load> {
  const { maxRequests, kind } = options;
  let built = 0;
  const latencies = new Map<string, number[]>();
  const okIndices = new Set<number>();
  const failedIndices = new Set<number>();
  const samples: string[] = [];
  const load1: number[] = [];
  const loadTimer = setInterval(() => load1.push(loadavg()[0]!), 1000);
  try {
    const result = await autocannon({
      url: endpoint,
      connections: CONNECTIONS,
      duration: seconds,
      timeout: 30,
      ...(maxRequests !== undefined ? { maxOverallRequests: maxRequests } : {}),
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${token}`,
        'accept-language': 'en',
      },
      requests: [
        {
          setupRequest: (request, context: Slot) => {
            context.index = built++;
            context.builtAt = performance.now();
            return { ...request, body: next(context.index) };
          },
          // a 200 that carries `errors` is a failure as well
          onResponse: (status, text, context: Slot) => {
            const index = context.index ?? -1;
            if (kind && context.builtAt !== undefined) {
              const list = latencies.get(kind(index)) ?? [];
              list.push(performance.now() - context.builtAt);
              latencies.set(kind(index), list);
            }
            if (status >= 200 && status < 300 && !text.includes('"errors"')) {
              okIndices.add(index);
              return;
            }
            failedIndices.add(index);
            if (samples.length < 3) samples.push(`${status} ${text.slice(0, 400)}`);
          },
        },
      ],
    });
    load1.push(loadavg()[0]!);
    return {
      result,
      ok: okIndices.size,
      failed: failedIndices.size,
      okIndices,
      failedIndices,
      latencies,
      samples,
      load1: load1.reduce((a, b) => a + b, 0) / load1.length,
    };
  } finally {
    clearInterval(loadTimer);
  }
}

const BARE_SERVER = `require('node:http')
  .createServer((req, res) => {
    req.resume();
    req.on('end', () => res.setHeader('content-type', 'application/json').end('{"data":{}}'));
  })
  .listen(Number(process.argv[1]), '127.0.0.1');`;

/**
 * The same load against a bare node:http server in a child process: what the loopback, the load
 * generator and the machine's current load allow, without GraphQL or a database.
 */
async function bareHttp(seconds: number): Promise<number> {
  const port = await freePort();
  const child = spawn(process.execPath, ['-e', BARE_SERVER, String(port)], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}/`;
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await fetch(endpoint, { method: 'POST', body: '{}' });
        break;
      } catch (error) {
        if (attempt > 100) throw error;
        await sleep(100);
      }
    }
    const load = await fire(endpoint, 'none', seconds, () => '{}');
    return load.result.requests.total / load.result.duration;
  } finally {
    child.kill('SIGTERM');
  }
}

/**
 * Transactions committed or rolled back in the bench database so far (all sessions); after a
 * pause, as backends report their counts at most once a second.
 */
async function transactions(ownerUrl: string): Promise<number> {
  await sleep(1500);
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    await owner.query('SELECT pg_stat_clear_snapshot()');
    const { rows } = await owner.query<{ n: string }>(
      'SELECT (xact_commit + xact_rollback)::text AS n FROM pg_stat_database WHERE datname = current_database()',
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await owner.end();
  }
}

/**
 * The request indices of this run's DuesPaid events (by commandId), once the requests still in
 * flight when autocannon stopped have landed (the count holds still for a second).
 */
async function duesPaidIndices(ownerUrl: string, tenantId: string, runId: string) {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const read = async () =>
      (
        await owner.query<{ command_id: string }>(
          `SELECT metadata->>'commandId' AS command_id FROM events
            WHERE tenant_id = $1 AND type = 'DuesPaid' AND metadata->>'commandId' LIKE $2`,
          [tenantId, `bench-${runId}-%`],
        )
      ).rows.map((r) => Number(r.command_id.slice(`bench-${runId}-`.length)));
    let last = await read();
    for (;;) {
      await sleep(1000);
      const now = await read();
      if (now.length === last.length) return new Set(now);
      last = now;
    }
  } finally {
    await owner.end();
  }
}

function describe(name: string, load: Load): void {
  const r = load.result;
  console.log(
    `  ${name}: ${r.requests.total} requests in ${r.duration.toFixed(1)} s = ` +
      `${(r.requests.total / r.duration).toFixed(0)} req/s, p50 ${r.latency.p50} ms, ` +
      `p99 ${r.latency.p99} ms, max ${r.latency.max} ms; ${load.ok} ok, ${load.failed} failed ` +
      `(non-2xx ${r.non2xx}, socket errors ${r.errors}, timeouts ${r.timeouts}); ` +
      `load average ${load.load1.toFixed(2)}`,
  );
  for (const [kind, list] of load.latencies) {
    const sorted = [...list].sort((a, b) => a - b);
    console.log(
      `    ${kind}: ${list.length} requests, p50 ${percentile(sorted, 50).toFixed(0)} ms, ` +
        `p99 ${percentile(sorted, 99).toFixed(0)} ms`,
    );
  }
  for (const sample of load.samples) console.log(`    failure: ${sample}`);
}

const rate = (l: Load) => l.result.requests.total / l.result.duration;

/** Per-request CPU and transactions of one measured mix, as result rows. */
/** A mix's req/s and latency, beside the bare node:http server's req/s. */
const rateRow = (name: string, load: Load, bare: number): BenchResult => ({
  case: name,
  unit: 'req/s',
  value: rate(load),
  p50Ms: load.result.latency.p50,
  p99Ms: load.result.latency.p99,
  peer: 'bare node:http',
  peerValue: bare,
  ratio: rate(load) / bare,
});

const errorsRow = (kind: string, load: Load): BenchResult => ({
  case: `${kind} errors (non-2xx, GraphQL errors, socket)`,
  unit: 'count',
  value: load.failed + load.result.errors,
});

function perRequest(
  name: string,
  m: { ms: { server: number; postgres: number }; tx: number; ceiling: number },
): BenchResult[] {
  return [
    { case: `${name}: server CPU per request`, unit: 'CPU µs', value: m.ms.server * 1000 },
    {
      case: `${name}: PostgreSQL CPU per request (followers' work included)`,
      unit: 'CPU µs',
      value: m.ms.postgres * 1000,
    },
    { case: `${name}: database transactions per 100 requests`, unit: 'tx', value: m.tx * 100 },
    {
      case: `${name}: CPU-bound ceiling on an idle ${cpus().length}-core machine (estimate)`,
      unit: 'req/s',
      value: m.ceiling,
    },
  ];
}

export async function runApiBench(): Promise<BenchResult[]> {
  console.log(
    `api bench: ${SECONDS} s per mix on ${CONNECTIONS} connections, ${cpus().length} cores, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}, ` +
      `load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  return withServer(async (maintenanceUrl, postmasterPid) => {
    const admin = new Client({ connectionString: maintenanceUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
    await ensureDatabase(maintenanceUrl, DATABASE);
    const ownerUrl = url(maintenanceUrl, DATABASE);
    await runMigrations(ownerUrl);
    await ensureAppRole(ownerUrl, APP_ROLE, APP_ROLE);
    const appUrl = url(ownerUrl, DATABASE, APP_ROLE, APP_ROLE);

    // the demo tenant, written through the event store from this process
    const pool = createPool(appUrl, { max: 4, applicationName: 'bench-api-seed' });
    const demo = await ensureDemoTenant(new PostgresEventStore(pool), benchLog).finally(() =>
      pool.end(),
    );

    const dataDir = mkdtempSync(join(tmpdir(), 'union-bench-api-data-'));
    const env = productionApiEnv(ownerUrl, appUrl, dataDir);
    const secret = env.AUTH_JWT_SECRET;
    const server = startApi(env, await freePort());
    const serverPid = server.child.pid!;
    const rss = rssSampler(serverPid);
    try {
      await waitUntilReady(server);
      const caughtUp = await waitForProjections(server.graphqlUrl);
      console.log(
        `  server pid ${server.child.pid} ready; projections caught up in ${caughtUp.toFixed(1)} s; ` +
          `RSS ${rss.now().toFixed(0)} MiB`,
      );
      const token = await mintToken(secret, {
        sub: 'bench-hq-officer',
        tenant: demo.tenantId,
        roles: ['OFFICER'],
      });
      const endpoint = server.graphqlUrl;

      /** One measured mix: CPU, database transactions and RSS around it. */
      const phase = async (
        name: string,
        run: () => Promise<Load>,
        target: { pid: number; rss: ReturnType<typeof rssSampler> } = { pid: serverPid, rss },
      ) => {
        const tx0 = await transactions(ownerUrl);
        await resetStatements(ownerUrl);
        const cpu0 = cpuSnapshot(target.pid, postmasterPid);
        target.rss.phase();
        const load = await run();
        const cpu = cpuSpent(cpu0, cpuSnapshot(target.pid, postmasterPid));
        const rssPeak = target.rss.phase();
        const n = Math.max(1, load.result.requests.total);
        const tx = ((await transactions(ownerUrl)) - tx0) / n;
        const ms = {
          server: cpu.server / n,
          serverSystem: cpu.serverSystem / n,
          postgres: cpu.postgres / n,
          bench: cpu.bench / n,
        };
        // what the CPU per request allows on an idle machine: one Node thread for the server,
        // all cores shared by the server, PostgreSQL and the load generator
        const ceiling = Math.min(
          1000 / ms.server,
          (cpus().length * 1000) / (ms.server + ms.postgres + ms.bench),
        );
        describe(name, load);
        console.log(
          `    per request: ${tx.toFixed(1)} database transactions (followers included); CPU ms: ` +
            `server ${ms.server.toFixed(2)} (kernel ${ms.serverSystem.toFixed(2)}), PostgreSQL ${ms.postgres.toFixed(2)}, ` +
            `load generator ${ms.bench.toFixed(2)}; CPU-bound ceiling on an idle machine ` +
            `~${ceiling.toFixed(0)} req/s; server RSS peak ${rssPeak.toFixed(0)} MiB`,
        );
        await printStatements(ownerUrl, n);
        await printStatementTimes(ownerUrl);
        return { load, tx, ms, ceiling };
      };

      /**
       * One mix on a server of its own with the response cache off (RESPONSE_CACHE_MS=0): warmed
       * up, measured like the others, stopped.
       */
      const onUncachedServer = async (
        name: string,
        next: (i: number) => string,
        options: { kind?: (i: number) => string } = {},
      ) => {
        const server = startApi({ ...env, RESPONSE_CACHE_MS: '0' }, await freePort());
        const serverRss = rssSampler(server.child.pid!);
        try {
          await waitUntilReady(server);
          const at = server.graphqlUrl;
          describe(`warm-up (${name})`, await fire(at, token, WARMUP_SECONDS, next));
          return await phase(name, () => fire(at, token, SECONDS, next, options), {
            pid: server.child.pid!,
            rss: serverRss,
          });
        } finally {
          serverRss.stop();
          await server.stop();
        }
      };

      // --- reads ---
      const measureReads = async () => {
        const reads = await readBodies(endpoint, token, demo.rootUnionId);
        const readBody = (i: number) => reads[i % reads.length]!;
        const kind = (i: number) => READ_KINDS[i % READ_KINDS.length]!;
        describe('warm-up (reads)', await fire(endpoint, token, WARMUP_SECONDS, readBody));
        const unloaded = READ_KINDS.map((name, k) => ({
          name,
          bodies: Array.from({ length: PROBES }, (_, i) => readBody(i * READ_KINDS.length + k)),
        }));
        for (const { name, bodies } of unloaded) {
          const { p50, p99 } = await probe(endpoint, token, bodies);
          console.log(`  unloaded ${name}: p50 ${p50.toFixed(1)} ms, p99 ${p99.toFixed(1)} ms`);
        }
        const reading = await phase('reads', () =>
          fire(endpoint, token, SECONDS, readBody, { kind }),
        );
        const read = reading.load;

        // the same mix on a second server with the response cache off: what the cache buys
        console.log('  the same reads with the response cache off (RESPONSE_CACHE_MS=0):');
        const uncached = await onUncachedServer('reads, no cache', readBody, { kind });
        return [
          rateRow(
            `reads: HQ roll-up / roster page / union by id, ${CONNECTIONS} conn, load avg ${read.load1.toFixed(1)} (target >= 2,000, p99 <= 50)`,
            read,
            bare,
          ),
          errorsRow('read', read),
          ...perRequest('reads', reading),
          {
            case: `reads with the response cache off, load avg ${uncached.load.load1.toFixed(1)}`,
            unit: 'req/s',
            value: rate(uncached.load),
            p50Ms: uncached.load.result.latency.p50,
            p99Ms: uncached.load.result.latency.p99,
          },
          ...perRequest('reads, no cache', uncached),
        ];
      };
      const bare = await bareHttp(Math.max(2, Math.round(5 * SCALE)));
      console.log(`  bare node:http server under the same load: ${bare.toFixed(0)} req/s`);
      const readResults = READS ? await measureReads() : [];

      // --- the stack's own floor: a mutation that selects only __typename (no resolver, no
      // database) through the same server, token, guards, access log and Apollo, cache off ---
      const floor = await onUncachedServer('floor: mutation { __typename }', () =>
        body('mutation { __typename }', {}),
      );
      const floorResults: BenchResult[] = [
        rateRow(
          `floor: mutation { __typename } (token, guards, access log, Apollo; no resolver, no database), ${CONNECTIONS} conn`,
          floor.load,
          bare,
        ),
        { case: 'floor: server CPU per request', unit: 'CPU µs', value: floor.ms.server * 1000 },
      ];
      if (!WRITES)
        return [
          ...readResults,
          ...floorResults,
          { case: 'server peak RSS (target <= 300)', unit: 'MiB', value: rss.peak() },
        ];

      // --- writes ---
      const { members, pairs } = await writePairs(
        endpoint,
        token,
        demo.rootUnionId,
        ownerUrl,
        demo.tenantId,
      );
      console.log(
        `  writes: ${pairs.length} unpaid (member, period) pairs over ${members} members`,
      );
      const probeId = randomBytes(4).toString('hex');
      const probed = await probe(
        endpoint,
        token,
        pairs.splice(-PROBES).map((pair, i) =>
          body(PAY, {
            input: { ...pair, wageBaseFen: WAGE_BASE_FEN, commandId: `probe-${probeId}-${i}` },
          }),
        ),
      );
      console.log(
        `  unloaded recordDuesPayment: p50 ${probed.p50.toFixed(1)} ms, p99 ${probed.p99.toFixed(1)} ms`,
      );
      const runId = randomBytes(4).toString('hex');
      const writing = await phase('writes', () =>
        fire(
          endpoint,
          token,
          SECONDS,
          (i) => {
            const pair = pairs[i % pairs.length]!;
            return body(PAY, {
              input: {
                memberId: pair.memberId,
                period: pair.period,
                wageBaseFen: WAGE_BASE_FEN,
                commandId: `bench-${runId}-${i}`,
              },
            });
          },
          { maxRequests: pairs.length },
        ),
      );
      const write = writing.load;
      if (write.result.requests.sent >= pairs.length)
        console.warn(
          `  the write mix used up its ${pairs.length} pairs before the ${SECONDS} s were over`,
        );
      // every successful write appended exactly one DuesPaid event, a failed one none; requests
      // still in flight when autocannon stopped (at most one per connection) may have landed
      const appended = await duesPaidIndices(ownerUrl, demo.tenantId, runId);
      const missing = [...write.okIndices].filter((i) => !appended.has(i));
      const unexpected = [...write.failedIndices].filter((i) => appended.has(i));
      const inFlight = [...appended].filter((i) => !write.okIndices.has(i)).length;
      console.log(
        `  DuesPaid events appended: ${appended.size} = ${write.ok} successful writes + ` +
          `${inFlight} in flight at the end; server RSS peak ${rss.peak().toFixed(0)} MiB`,
      );
      if (missing.length > 0 || unexpected.length > 0 || inFlight > CONNECTIONS)
        throw new Error(
          `write check failed: ${missing.length} successful writes without a DuesPaid event, ` +
            `${unexpected.length} failed writes with one, ${inFlight} events without an answer`,
        );

      return [
        ...readResults,
        ...floorResults,
        rateRow(
          `writes: recordDuesPayment, ${CONNECTIONS} conn, load avg ${write.load1.toFixed(1)} (target >= 1,500, p99 <= 50)`,
          write,
          bare,
        ),
        errorsRow('write', write),
        ...perRequest('writes', writing),
        {
          case: 'DuesPaid events appended (successful writes + in flight at the end)',
          unit: 'count',
          value: appended.size,
        },
        { case: 'server peak RSS (target <= 300)', unit: 'MiB', value: rss.peak() },
      ];
    } catch (error) {
      console.error(`  server output:\n${server.tail()}`);
      throw error;
    } finally {
      rss.stop();
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
