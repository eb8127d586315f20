import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { addMonthsToPeriod, dateInZone, type CommandMetadata, type Period } from '@app/core';
import { createPool, ensureAppRole, ensureDatabase, runMigrations } from '@app/database';
import { PostgresEventStore, type EventStore, type StreamAppend } from '@app/event-store';
import {
  ActorUnits,
  allProjections,
  DUES_PROJECTION,
  ProjectionRunner,
  REGISTRY_PROJECTION,
  ReadModelMemberFacts,
} from '@app/read-models';
import { generateLargeTenant, type LargeTenant } from '@app/testing';
import {
  decideDuesPayroll,
  ImportDuesPayrollCommand,
  ImportDuesPayrollHandler,
  memberStreamId,
  NATIONAL_DUES_RULES,
  type DuesPayrollRow,
  type MemberFactsPort,
  type MemberImported,
  type PayrollMemberFacts,
  type PayrollOutcome,
} from '@app/unions';
import { Client, type Pool } from 'pg';
import { measure, type BenchResult } from './harness';
import { databaseUrl, withBenchServer, LARGE_WRITE_SETTINGS } from './bench-server';

/**
 * Issue 5, "Benchmark": a whole month of payroll dues, 250,000 rows (BENCH_SCALE=0.2 for a fifth),
 * end to end through the real ImportDuesPayrollHandler (facts read set-based from the registry and
 * dues read models, rows validated by the decider, DuesPaid events appended in batches) on a fresh
 * embedded PostgreSQL with durable settings, as the application role under row-level security.
 *
 * The tenant: the generator's union tree (one company, secondary units, brigades, teams) with
 * 250,000 ACTIVE, dues-liable members on the grassroots rolls, written through the event store
 * and projected. Then, each for a period nobody has paid yet:
 *  1. one import at the company union covering every member (the handler takes a union subtree;
 *     the "a whole union's month in one command"): rows/s against the target, peak RSS,
 *     where the time goes; re-run with the same command id and with a new one (appends nothing);
 *  2. one import per grassroots union (a few thousand commands, 4 at a time): rows/s, p50/p99.
 * The peer is the raw limit of the same server: one set-based INSERT of as many rows into a
 * scratch copy of the events table. DATABASE_URL: use that server (superuser) instead.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const TARGET_ROWS_PER_SECOND = 60_000;
const APP_ROLE = 'union_bench_app';
const DATABASE = 'bench_dues_import';
const ACTOR = 'bench-treasurer';
/** Member streams per seeding call, calls in flight. */
const SEED_BATCH = 2_000;
const SEED_CONCURRENCY = 3;
/** Grassroots imports in flight at once. */
const PER_UNION_CLIENTS = 4;
/** The tenant's zone (Asia/Shanghai). */
const UTC_OFFSET_MINUTES = 8 * 60;

const url = databaseUrl;
const withServer = <T>(work: (maintenanceUrl: string) => Promise<T>) =>
  withBenchServer('dues', LARGE_WRITE_SETTINGS, (maintenanceUrl) => work(maintenanceUrl));

const seconds = (since: bigint) => Number(process.hrtime.bigint() - since) / 1e9;

/** Peak resident set size while `work` runs, sampled every 100 ms (and before and after). */
async function peakRss<T>(
  work: () => Promise<T>,
): Promise<{ result: T; peakMiB: number; peakHeapMiB: number }> {
  let peak = 0;
  let peakHeap = 0;
  const sample = () => {
    const usage = process.memoryUsage();
    peak = Math.max(peak, usage.rss / 2 ** 20);
    peakHeap = Math.max(peakHeap, usage.heapUsed / 2 ** 20);
  };
  sample();
  const timer = setInterval(sample, 100);
  try {
    const result = await work();
    sample();
    return { result, peakMiB: peak, peakHeapMiB: peakHeap };
  } finally {
    clearInterval(timer);
  }
}

/** Milliseconds spent awaiting each method of the wrapped object (calls may overlap). */
class Spent {
  readonly ms = new Map<string, number>();
  readonly calls = new Map<string, number>();
  reset(): void {
    this.ms.clear();
    this.calls.clear();
  }
  get(name: string): number {
    return this.ms.get(name) ?? 0;
  }
  count(name: string): number {
    return this.calls.get(name) ?? 0;
  }
  wrap<T extends object>(target: T, prefix: string): T {
    return new Proxy(target, {
      get: (obj, prop, receiver) => {
        const value: unknown = Reflect.get(obj, prop, receiver);
        if (typeof value !== 'function' || typeof prop !== 'string') return value;
        const method = value as (...args: unknown[]) => Promise<unknown>;
        const name = `${prefix}.${prop}`;
        return async (...args: unknown[]) => {
          const t0 = process.hrtime.bigint();
          try {
            return await method.apply(obj, args);
          } finally {
            this.ms.set(name, this.get(name) + Number(process.hrtime.bigint() - t0) / 1e6);
            this.calls.set(name, this.count(name) + 1);
          }
        };
      },
    });
  }
}

export async function runDuesImportBench(): Promise<BenchResult[]> {
  console.log(
    `dues-import bench: scale ${SCALE}, ${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
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
      idleInTransactionTimeoutMs: 600_000,
      applicationName: 'bench-dues-import',
    });
    const owner = new Client({ connectionString: ownerUrl });
    await owner.connect();
    try {
      return await measureAll(pool, owner);
    } finally {
      await owner.end();
      await pool.end();
    }
  });
}

interface World {
  readonly tenant: LargeTenant;
  readonly companyId: string;
  /** Grassroots unions with their payroll rows, in the plan's order. */
  readonly rolls: { unionId: string; rows: DuesPayrollRow[] }[];
  readonly rows: DuesPayrollRow[];
}

/** Settings and union tree from the generator; every member ACTIVE and dues-liable. */
async function seed(store: EventStore, seedPeriod: Period): Promise<World> {
  const tenant = generateLargeTenant({
    scale: SCALE,
    seed: 42,
    months: 1,
    lastPeriod: seedPeriod,
    tenantId: 'bench-dues',
  });
  const { plan, tenantId } = tenant;
  for await (const batch of tenant.batches()) {
    if (batch.phase !== 'settings' && batch.phase !== 'unions') break;
    await store.appendToStreams(tenantId, batch.appends, { metadata: { actor: 'system:seed' } });
  }
  const importedOn = `${addMonthsToPeriod(seedPeriod, -1)}-28`;
  const appends: StreamAppend[] = plan.members.map((m) => {
    const imported: MemberImported = {
      type: 'MemberImported',
      data: {
        memberId: m.id,
        unionId: plan.unions[m.union]!.id,
        name: m.name,
        gender: m.female ? 'FEMALE' : 'MALE',
        employeeNo: m.employeeNo,
        nationalId: null,
        phone: null,
        joinedOn: m.joinMonth < 0 ? m.joinedOn : `${addMonthsToPeriod(seedPeriod, -1)}-01`,
        cardNumber: m.cardNumber,
        cardNumberGenerated: false,
        status: 'ACTIVE',
        duesExempt: false,
        duesLiableFrom: seedPeriod,
        importedOn,
      },
    };
    return { streamId: memberStreamId(m.id), events: [imported], expectedVersion: 'no_stream' };
  });
  let next = 0;
  await Promise.all(
    Array.from({ length: SEED_CONCURRENCY }, async () => {
      for (let i = next; i < appends.length; i = next) {
        next += SEED_BATCH;
        await store.appendToStreams(tenantId, appends.slice(i, i + SEED_BATCH), {
          metadata: { actor: 'system:seed' },
        });
      }
    }),
  );
  const rolls = plan.unions
    .filter((u) => u.members.length > 0)
    .map((u) => ({
      unionId: u.id,
      rows: u.members.map((i) => ({
        memberId: plan.members[i]!.id,
        wageBaseFen: plan.members[i]!.wageBaseFen,
      })),
    }));
  return {
    tenant,
    companyId: plan.unions.find((u) => u.level === 'COMPANY')!.id,
    rolls,
    rows: rolls.flatMap((r) => r.rows),
  };
}

/** What autovacuum does after large changes, done now so that every run plans alike. */
async function analyze(owner: Client): Promise<void> {
  await owner.query('ANALYZE rm_members, rm_unions, rm_dues_members, rm_dues_ledger, events');
}

async function scalar(owner: Client, sql: string, params: unknown[]): Promise<number> {
  const { rows } = await owner.query<{ n: string }>(sql, params);
  return Number(rows[0]?.n ?? 0);
}

const lastPosition = (owner: Client) =>
  scalar(owner, 'SELECT coalesce(max(global_position), 0) AS n FROM events', []);

const eventsAfter = (owner: Client, tenantId: string, position: number) =>
  scalar(owner, 'SELECT count(*) AS n FROM events WHERE tenant_id = $1 AND global_position > $2', [
    tenantId,
    position,
  ]);

/** Members paid for `period`: DuesPaid events, and distinct members among them. */
async function paidFor(owner: Client, tenantId: string, period: Period) {
  const { rows } = await owner.query<{ events: string; members: string }>(
    `SELECT count(*) AS events, count(DISTINCT data->>'memberId') AS members
       FROM events
      WHERE tenant_id = $1 AND type = 'DuesPaid' AND data->>'period' = $2`,
    [tenantId, period],
  );
  return { events: Number(rows[0]?.events ?? 0), members: Number(rows[0]?.members ?? 0) };
}

function expectPaidOnce(
  label: string,
  paid: { events: number; members: number },
  expected: number,
): void {
  if (paid.events !== expected || paid.members !== expected) {
    throw new Error(
      `${label}: ${paid.events} DuesPaid events for ${paid.members} members, expected ${expected} each`,
    );
  }
}

/** The raw limit: one set-based INSERT of `n` DuesPaid-like rows into a scratch copy of events. */
async function rawLimit(owner: Client, n: number) {
  await owner.query('DROP TABLE IF EXISTS bench_scratch_events');
  await owner.query(
    'CREATE TABLE bench_scratch_events (LIKE events INCLUDING DEFAULTS INCLUDING INDEXES)',
  );
  const t0 = process.hrtime.bigint();
  await owner.query(
    `INSERT INTO bench_scratch_events (global_position, tenant_id, stream_id, stream_version,
                                       event_id, type, data, metadata)
     SELECT g, 'bench-dues', 'member-' || md5(g::text), 2, gen_random_uuid(), 'DuesPaid',
            jsonb_build_object('memberId', md5(g::text), 'unionId', md5((g % 5000)::text),
                               'period', '2026-10', 'wageBaseFen', 750000 + g % 1000,
                               'expectedFen', 3750, 'amountFen', 3750, 'paidOn', '2026-10-25',
                               'source', 'PAYROLL'),
            '{"actor": "bench-treasurer"}'::jsonb
       FROM generate_series(1, $1::int) AS g`,
    [n],
  );
  const setBased = seconds(t0);
  // the same rows sent by the client in 500-row transactions, like the handler's batches
  await owner.query('TRUNCATE bench_scratch_events');
  const t1 = process.hrtime.bigint();
  const batch = 500;
  for (let from = 0; from < n; from += batch) {
    const data = Array.from({ length: Math.min(batch, n - from) }, (_, k) =>
      JSON.stringify({
        memberId: randomUUID(),
        unionId: 'u',
        period: '2026-10',
        wageBaseFen: 750_000 + k,
        expectedFen: 3750,
        amountFen: 3750,
        paidOn: '2026-10-25',
        source: 'PAYROLL',
      }),
    );
    await owner.query(
      `INSERT INTO bench_scratch_events (global_position, tenant_id, stream_id, stream_version,
                                         event_id, type, data)
       SELECT $1::bigint + o, 'bench-dues', 'member-' || (d->>'memberId'), 2, gen_random_uuid(),
              'DuesPaid', d
         FROM unnest($2::jsonb[]) WITH ORDINALITY AS x(d, o)`,
      [from, data],
    );
  }
  const batched = seconds(t1);
  await owner.query('DROP TABLE bench_scratch_events');
  return { setBased: n / setBased, batched: n / batched };
}

/**
 * The store's share of an import: `n` DuesPaid events in calls of 500, once spread over 500 new
 * streams (the payroll's shape: one version check per stream) and once into one new stream.
 */
async function appendShapes(store: EventStore, n: number) {
  const tenantId = 'bench-dues-shapes';
  const calls = Math.max(1, Math.round(n / 500));
  const event = (k: number) => ({
    type: 'DuesPaid',
    data: {
      memberId: `m-${k}`,
      unionId: 'u',
      period: '2026-10',
      wageBaseFen: 750_000 + k,
      expectedFen: 3750,
      amountFen: 3750,
      paidOn: '2026-10-25',
      source: 'PAYROLL',
    },
  });
  const options = { metadata: { actor: ACTOR } };
  let t0 = process.hrtime.bigint();
  for (let c = 0; c < calls; c++) {
    await store.appendToStreams(
      tenantId,
      Array.from({ length: 500 }, (_, k) => ({
        streamId: `member-s${c}-${k}`,
        events: [event(k)],
        expectedVersion: 'no_stream' as const,
      })),
      options,
    );
  }
  const perStream = (calls * 500) / seconds(t0);
  t0 = process.hrtime.bigint();
  for (let c = 0; c < calls; c++) {
    await store.appendToStreams(
      tenantId,
      [
        {
          streamId: `payroll-one-${c}`,
          events: Array.from({ length: 500 }, (_, k) => event(k)),
          expectedVersion: 'no_stream',
        },
      ],
      options,
    );
  }
  return { perStream, oneStream: (calls * 500) / seconds(t0) };
}

async function measureAll(pool: Pool, owner: Client): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const store = new PostgresEventStore(pool);
  const now = new Date();
  const currentPeriod = dateInZone(now, UTC_OFFSET_MINUTES).slice(0, 7);
  const seedPeriod = addMonthsToPeriod(currentPeriod, -2);
  const bigPeriod = addMonthsToPeriod(currentPeriod, -1);
  const perUnionPeriod = currentPeriod;

  // --- the tenant ---
  let t0 = process.hrtime.bigint();
  const world = await seed(store, seedPeriod);
  const { tenantId } = world.tenant;
  const n = world.rows.length;
  const seeded = await eventsAfter(owner, tenantId, 0);
  console.log(
    `  seeded ${world.tenant.plan.unions.length} unions, ${n} members (${world.rolls.length} grassroots rolls): ` +
      `${seeded} events in ${seconds(t0).toFixed(1)} s`,
  );
  const runner = new ProjectionRunner(store, pool, allProjections(), { batchSize: 5000 });
  t0 = process.hrtime.bigint();
  // the payroll facts read the registry and dues models only; the others are not waited for
  await runner.catchUp([REGISTRY_PROJECTION, DUES_PROJECTION]);
  console.log(`  projected the registry and dues read models in ${seconds(t0).toFixed(1)} s`);
  const actors = new ActorUnits();
  actors.register(tenantId, ACTOR, `/${world.companyId}/`);

  // the facts lookup on fresh tables (no planner statistics yet), then as autovacuum leaves them
  const memberIds = world.rows.map((r) => r.memberId);
  const lookup = new ReadModelMemberFacts(pool, actors);
  t0 = process.hrtime.bigint();
  await lookup.payrollMembers(tenantId, bigPeriod, memberIds);
  const unanalyzedMs = seconds(t0) * 1000;
  await analyze(owner);
  t0 = process.hrtime.bigint();
  await lookup.payrollMembers(tenantId, bigPeriod, memberIds);
  const analyzedMs = seconds(t0) * 1000;
  console.log(
    `  facts lookup of ${n} members: ${unanalyzedMs.toFixed(0)} ms before ANALYZE, ${analyzedMs.toFixed(0)} ms after`,
  );
  results.push(
    {
      case: `facts lookup of ${n} members, read models not analyzed`,
      unit: 'ms',
      value: unanalyzedMs,
    },
    {
      case: `facts lookup of ${n} members, after ANALYZE (used below)`,
      unit: 'ms',
      value: analyzedMs,
    },
  );

  const spent = new Spent();
  const facts: MemberFactsPort = new ReadModelMemberFacts(pool, actors);
  let lastFacts: ReadonlyMap<string, PayrollMemberFacts> = new Map();
  const factsTimed = spent.wrap(facts, 'facts');
  const factsCapturing: MemberFactsPort = new Proxy(factsTimed, {
    get: (obj, prop, receiver) =>
      prop === 'payrollMembers'
        ? async (tenant: string, period: Period, ids: readonly string[]) =>
            (lastFacts = await obj.payrollMembers(tenant, period, ids))
        : (Reflect.get(obj, prop, receiver) as unknown),
  });
  const handler = new ImportDuesPayrollHandler(spent.wrap(store, 'store'), factsCapturing);
  const metadata = (commandId: string = randomUUID()): CommandMetadata => ({
    tenantId,
    actor: ACTOR,
    now,
    commandId,
  });
  const importAll = (meta: CommandMetadata) =>
    handler.execute(
      new ImportDuesPayrollCommand(
        { unionId: world.companyId, period: bigPeriod, rows: world.rows },
        meta,
      ),
    );

  // --- the raw limit of this server ---
  const raw = await rawLimit(owner, n);
  console.log(
    `  raw limit: ${Math.round(raw.setBased)} rows/s set-based, ${Math.round(raw.batched)} rows/s in 500-row transactions`,
  );
  const versusRaw = (value: number, peerValue = raw.setBased) => ({
    peer: 'raw set-based INSERT',
    peerValue,
    ratio: value / peerValue,
  });

  // --- 1. one import at the company union ---
  const before = await lastPosition(owner);
  const firstCommand = metadata();
  spent.reset();
  t0 = process.hrtime.bigint();
  const big = await peakRss(() => importAll(firstCommand));
  const bigSeconds = seconds(t0);
  const outcome: PayrollOutcome = big.result;
  const appended = await eventsAfter(owner, tenantId, before);
  if (outcome.accepted !== n || outcome.rejected !== 0) {
    throw new Error(`import accepted ${outcome.accepted}, rejected ${outcome.rejected} of ${n}`);
  }
  if (appended !== n + 1) throw new Error(`import appended ${appended} events, expected ${n + 1}`);
  expectPaidOnce('after the import', await paidFor(owner, tenantId, bigPeriod), n);
  const bigRate = n / bigSeconds;
  console.log(
    `  1 import of ${n} rows at the company union: ${bigSeconds.toFixed(2)} s, ${Math.round(bigRate)} rows/s ` +
      `(target ${TARGET_ROWS_PER_SECOND}), ${outcome.batches} appends, peak RSS ${big.peakMiB.toFixed(0)} MiB (heap ${big.peakHeapMiB.toFixed(0)})`,
  );

  // where the time goes: awaited calls of the handler, and the pure decider on the same facts
  const factsMs = spent.get('facts.payrollMembers');
  const appendMs = spent.get('store.appendToStreams');
  const otherMs =
    spent.get('store.readStream') + spent.get('store.aggregateStream') + spent.get('facts.actsFor');
  const handlerCpuMs = bigSeconds * 1000 - factsMs - appendMs - otherMs;
  const decideStart = process.hrtime.bigint();
  decideDuesPayroll({
    type: 'ImportDuesPayroll',
    metadata: firstCommand,
    data: {
      unionId: world.companyId,
      period: bigPeriod,
      paidOn: dateInZone(now, UTC_OFFSET_MINUTES),
      rows: world.rows,
      members: lastFacts, // as the import read them: nobody paid yet
      rules: {
        dues: NATIONAL_DUES_RULES,
        utcOffsetMinutes: UTC_OFFSET_MINUTES,
      },
      actsForUnionIds: [world.companyId],
    },
  });
  const decideMs = Number(process.hrtime.bigint() - decideStart) / 1e6;
  console.log(
    `    facts lookup ${factsMs.toFixed(0)} ms (${spent.count('facts.payrollMembers')} call), ` +
      `appends ${appendMs.toFixed(0)} ms (${spent.count('store.appendToStreams')} calls), ` +
      `other reads ${otherMs.toFixed(0)} ms, handler CPU ${handlerCpuMs.toFixed(0)} ms ` +
      `(of which the decider alone ${decideMs.toFixed(0)} ms)`,
  );
  results.push(
    {
      case: `1 import at the company union, ${n} rows (target >= ${TARGET_ROWS_PER_SECOND})`,
      unit: 'rows/s',
      value: bigRate,
      p50Ms: bigSeconds * 1000,
      p99Ms: bigSeconds * 1000,
      ...versusRaw(bigRate),
    },
    {
      case: `  same rows in ${outcome.batches} appends vs raw 500-row INSERT transactions`,
      unit: 'rows/s',
      value: (n / appendMs) * 1000,
      peer: 'raw 500-row INSERTs',
      peerValue: raw.batched,
      ratio: ((n / appendMs) * 1000) / raw.batched,
    },
    { case: '  time: facts lookup (payrollMembers, set-based)', unit: 'ms', value: factsMs },
    {
      case: `  time: appendToStreams (${outcome.batches} calls of <= 500 streams)`,
      unit: 'ms',
      value: appendMs,
    },
    { case: '  time: summary stream, settings, actsFor', unit: 'ms', value: otherMs },
    { case: '  time: handler CPU (decide, build appends)', unit: 'ms', value: handlerCpuMs },
    { case: '  time: decideDuesPayroll alone, same rows', unit: 'ms', value: decideMs },
    { case: '  import peak RSS (sampled every 100 ms)', unit: 'MiB', value: big.peakMiB },
    { case: '  import peak V8 heap used', unit: 'MiB', value: big.peakHeapMiB },
    { case: '  events appended (SQL count)', unit: 'events', value: appended },
  );

  // --- re-runs: the same command id, then a new command id for the same payroll ---
  let position = await lastPosition(owner);
  t0 = process.hrtime.bigint();
  const again = await importAll(firstCommand);
  const sameIdMs = seconds(t0) * 1000;
  if (!again.duplicate || again.accepted !== n) throw new Error('same command id not recognised');

  t0 = process.hrtime.bigint();
  await runner.catchUp([REGISTRY_PROJECTION, DUES_PROJECTION]);
  const catchUpSeconds = seconds(t0);
  await analyze(owner);
  console.log(
    `  registry + dues models caught up with the import in ${catchUpSeconds.toFixed(1)} s`,
  );
  t0 = process.hrtime.bigint();
  const rerun = await importAll(metadata());
  const rerunSeconds = seconds(t0);
  const rerunAppended = await eventsAfter(owner, tenantId, position);
  if (rerun.accepted !== 0 || rerun.rejected !== n || rerunAppended !== 0) {
    throw new Error(
      `re-run accepted ${rerun.accepted}, rejected ${rerun.rejected}, appended ${rerunAppended}`,
    );
  }
  if (rerun.rejectedRows.some((r) => r.reason !== 'DUES_ALREADY_PAID')) {
    throw new Error('re-run rejected rows for another reason than DUES_ALREADY_PAID');
  }
  console.log(
    `  re-run, same command id: ${sameIdMs.toFixed(1)} ms; new command id: ${rerunSeconds.toFixed(2)} s, ` +
      `${rerun.rejected} rows rejected as already paid, ${rerunAppended} events appended`,
  );
  results.push(
    { case: '  re-run, same command id (first result)', unit: 'ms', value: sameIdMs },
    {
      case: `  re-run, new command id: ${n} rows already paid, 0 appended`,
      unit: 'rows/s',
      value: n / rerunSeconds,
      p50Ms: rerunSeconds * 1000,
      p99Ms: rerunSeconds * 1000,
    },
    {
      case: '  registry + dues read models catching up with the import',
      unit: 'events/s',
      value: appended / catchUpSeconds,
    },
  );

  // --- the appends taken apart: the same rows as one event per stream and as one stream ---
  const shapes = await appendShapes(store, n);
  console.log(
    `  appendToStreams of 500 events: ${Math.round(shapes.perStream)} events/s as 500 streams x 1 event, ` +
      `${Math.round(shapes.oneStream)} events/s as 1 stream x 500 events`,
  );
  results.push(
    {
      case: '  appendToStreams, 500 new streams x 1 event a call',
      unit: 'rows/s',
      value: shapes.perStream,
      peer: 'raw 500-row INSERTs',
      peerValue: raw.batched,
      ratio: shapes.perStream / raw.batched,
    },
    {
      case: '  appendToStreams, 1 new stream x 500 events a call',
      unit: 'rows/s',
      value: shapes.oneStream,
      peer: 'raw 500-row INSERTs',
      peerValue: raw.batched,
      ratio: shapes.oneStream / raw.batched,
    },
  );

  // --- 2. one import per grassroots union ---
  position = await lastPosition(owner);
  let accepted = 0;
  spent.reset();
  const perUnion = await peakRss(() =>
    measure(PER_UNION_CLIENTS, world.rolls.length, 0, async (i) => {
      const roll = world.rolls[i]!;
      const result = await handler.execute(
        new ImportDuesPayrollCommand(
          { unionId: roll.unionId, period: perUnionPeriod, rows: roll.rows },
          metadata(),
        ),
      );
      accepted += result.accepted;
    }),
  );
  const m = perUnion.result;
  const perUnionAppended = await eventsAfter(owner, tenantId, position);
  if (accepted !== n) throw new Error(`grassroots imports accepted ${accepted} of ${n}`);
  expectPaidOnce('after the grassroots imports', await paidFor(owner, tenantId, perUnionPeriod), n);
  expectPaidOnce('the company import, still', await paidFor(owner, tenantId, bigPeriod), n);
  if (perUnionAppended !== n + world.rolls.length) {
    throw new Error(`grassroots imports appended ${perUnionAppended} events`);
  }
  const perUnionRate = n / m.seconds;
  console.log(
    `  ${world.rolls.length} grassroots imports, ${PER_UNION_CLIENTS} at a time: ${m.seconds.toFixed(1)} s, ` +
      `${Math.round(perUnionRate)} rows/s, p50 ${m.p50Ms.toFixed(1)} ms, p99 ${m.p99Ms.toFixed(1)} ms, ` +
      `peak RSS ${perUnion.peakMiB.toFixed(0)} MiB (heap ${perUnion.peakHeapMiB.toFixed(0)})`,
  );
  results.push(
    {
      case: `${world.rolls.length} grassroots imports (${PER_UNION_CLIENTS} clients), ${n} rows`,
      unit: 'rows/s',
      value: perUnionRate,
      p50Ms: m.p50Ms,
      p99Ms: m.p99Ms,
      ...versusRaw(perUnionRate),
    },
    { case: '  grassroots imports peak RSS', unit: 'MiB', value: perUnion.peakMiB },
    { case: '  grassroots imports peak V8 heap used', unit: 'MiB', value: perUnion.peakHeapMiB },
    { case: '  events appended (SQL count)', unit: 'events', value: perUnionAppended },
    {
      case: 'raw: 1 set-based INSERT ... generate_series into a copy of events',
      unit: 'rows/s',
      value: raw.setBased,
    },
    {
      case: 'raw: the same from the client, 500 rows a transaction',
      unit: 'rows/s',
      value: raw.batched,
    },
  );
  return results;
}
