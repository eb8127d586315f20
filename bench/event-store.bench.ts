import { randomUUID } from 'node:crypto';
import { cpus, totalmem } from 'node:os';
import { createPool, ensureAppRole, ensureDatabase, runMigrations } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { STREAM_DOES_NOT_EXIST } from '@event-driven-io/emmett';
import { getPostgreSQLEventStore } from '@event-driven-io/emmett-postgresql';
import { Client, Pool } from 'pg';
import { measure, type BenchResult, type Measured } from './harness';
import { databaseUrl, withBenchServer, MANY_CLIENTS_SETTINGS } from './bench-server';

/**
 * Our event store against the raw limit of the same PostgreSQL and against Emmett
 * (@event-driven-io/emmett-postgresql) doing the same work through its public API, in one run.
 * BENCH_SCALE=0.1 for a quick run. DATABASE_URL: use that server instead of an embedded one.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const STREAMS = Math.max(100, Math.round(10_000 * SCALE));
const EVENTS_PER_STREAM = 10;
const CLIENTS = [1, 8, 32];
const BATCH = 100;
const BATCHES = Math.max(20, Math.round(300 * SCALE));
const READ_STREAM_EVENTS = 1000;
const READS = Math.max(20, Math.round(300 * SCALE));

const payload = (i: number) => ({
  memberId: `m-${i}`,
  period: '2026-10',
  amountFen: 1725,
  payroll: 'PR-2026-10',
});

const url = databaseUrl;
const withServer = <T>(work: (maintenanceUrl: string) => Promise<T>) =>
  withBenchServer('es', MANY_CLIENTS_SETTINGS, (maintenanceUrl) => work(maintenanceUrl));

async function freshDatabase(maintenanceUrl: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: maintenanceUrl });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  await ensureDatabase(maintenanceUrl, name);
  return url(maintenanceUrl, name);
}

/** Single-event appends with exact expected versions: STREAMS streams x 10 events over `clients`. */
async function singleAppends(
  clients: number,
  append: (stream: string, version: number) => Promise<unknown>,
) {
  const prefix = randomUUID().slice(0, 8);
  const streams = Array.from({ length: STREAMS }, (_, i) => `member-${prefix}-${i}`);
  // consecutive operations go to different streams (op = version * STREAMS + stream), so the
  // clients never wait on each other; the chain below only guards the order within a stream
  return measure(clients, STREAMS * EVENTS_PER_STREAM, 1, async (op) => {
    const stream = streams[op % STREAMS]!;
    return appendChain(stream, Math.floor(op / STREAMS), append);
  });
}

// operations on one stream must run in order; chain them per stream
const chains = new Map<string, Promise<unknown>>();
function appendChain(
  stream: string,
  version: number,
  append: (s: string, v: number) => Promise<unknown>,
) {
  const previous = chains.get(stream) ?? Promise.resolve();
  const next = previous.then(() => append(stream, version));
  chains.set(stream, next);
  if (version === EVENTS_PER_STREAM - 1) void next.finally(() => chains.delete(stream));
  return next;
}

function row(name: string, m: Measured, peer?: { name: string; m: Measured }): BenchResult {
  return {
    case: name,
    unit: 'events/s',
    value: m.eventsPerSecond,
    p50Ms: m.p50Ms,
    p99Ms: m.p99Ms,
    ...(peer
      ? {
          peer: peer.name,
          peerValue: peer.m.eventsPerSecond,
          ratio: m.eventsPerSecond / peer.m.eventsPerSecond,
        }
      : {}),
  };
}

export async function runEventStoreBench(): Promise<BenchResult[]> {
  console.log(
    `event-store bench: ${STREAMS} streams x ${EVENTS_PER_STREAM} events per client count, ${cpus().length} cores, ` +
      `${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`,
  );
  return withServer(async (maintenanceUrl) => {
    const results: BenchResult[] = [];

    // --- the raw limit of this server ---
    const rawUrl = await freshDatabase(maintenanceUrl, 'bench_raw');
    const rawPool = new Pool({ connectionString: rawUrl, max: 40 });
    rawPool.on('error', () => undefined);
    await rawPool.query(
      'CREATE TABLE raw_events (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)',
    );
    const raw: Record<number, Measured> = {};
    for (const clients of CLIENTS) {
      raw[clients] = await measure(clients, STREAMS * EVENTS_PER_STREAM, 1, (i) =>
        rawPool.query('INSERT INTO raw_events (stream_id, data) VALUES ($1, $2)', [
          `s-${i % STREAMS}`,
          payload(i),
        ]),
      );
      results.push(row(`raw: 1-row INSERT per tx, ${clients} clients`, raw[clients]));
      console.log(`  raw ${clients} clients: ${Math.round(raw[clients].eventsPerSecond)} ev/s`);
    }
    const rawBatch = await measure(1, BATCHES, BATCH, (i) =>
      rawPool.query(
        'INSERT INTO raw_events (stream_id, data) SELECT $1, d FROM unnest($2::jsonb[]) AS d',
        [`b-${i}`, Array.from({ length: BATCH }, (_, k) => JSON.stringify(payload(k)))],
      ),
    );
    results.push(row(`raw: ${BATCH}-row INSERT ... unnest, 1 client`, rawBatch));
    await rawPool.end();

    // --- ours (application role: row-level security on, as in production) ---
    const oursOwner = await freshDatabase(maintenanceUrl, 'bench_ours');
    await runMigrations(oursOwner);
    await ensureAppRole(oursOwner, 'union_bench_app', 'union_bench_app');
    const oursPool = createPool(
      url(oursOwner, 'bench_ours', 'union_bench_app', 'union_bench_app'),
      { max: 40 },
    );
    const ours = new PostgresEventStore(oursPool);
    const tenant = 'bench-tenant';

    // --- Emmett, the peer ---
    const emmettUrl = await freshDatabase(maintenanceUrl, 'bench_emmett');
    const emmettPool = new Pool({ connectionString: emmettUrl, max: 40 });
    emmettPool.on('error', () => undefined);
    const emmett = getPostgreSQLEventStore(emmettUrl, { connectionOptions: { pool: emmettPool } });
    await emmett.schema.migrate();

    for (const clients of CLIENTS) {
      const o = await singleAppends(clients, (stream, v) =>
        ours.appendToStream(tenant, stream, [{ type: 'DuesPaid', data: payload(v) }], {
          expectedVersion: v,
        }),
      );
      const e = await singleAppends(clients, (stream, v) =>
        emmett.appendToStream(stream, [{ type: 'DuesPaid', data: payload(v) }], {
          expectedStreamVersion: v === 0 ? STREAM_DOES_NOT_EXIST : BigInt(v),
        }),
      );
      results.push(
        row(`ours: single-event append, exact version, ${clients} clients`, o, {
          name: 'emmett',
          m: e,
        }),
      );
      const limit = raw[clients]!.eventsPerSecond;
      results.push({
        case: `ours vs raw limit, ${clients} clients`,
        unit: '% of raw',
        value: (100 * o.eventsPerSecond) / limit,
      });
    }

    const batchEvents = Array.from({ length: BATCH }, (_, k) => ({
      type: 'DuesPaid',
      data: payload(k),
    }));
    const ob = await measure(1, BATCHES, BATCH, (i) =>
      ours.appendToStream(tenant, `payroll-${i}`, batchEvents, { expectedVersion: 'no_stream' }),
    );
    const eb = await measure(1, BATCHES, BATCH, (i) =>
      emmett.appendToStream(`payroll-${i}`, batchEvents, {
        expectedStreamVersion: STREAM_DOES_NOT_EXIST,
      }),
    );
    results.push(row(`ours: ${BATCH}-event append, 1 client`, ob, { name: 'emmett', m: eb }));

    const longEvents = Array.from({ length: READ_STREAM_EVENTS }, (_, k) => ({
      type: 'DuesPaid',
      data: payload(k),
    }));
    for (let i = 0; i < READ_STREAM_EVENTS; i += BATCH) {
      await ours.appendToStream(tenant, 'long', longEvents.slice(i, i + BATCH));
      await emmett.appendToStream('long', longEvents.slice(i, i + BATCH));
    }
    const or = await measure(1, READS, READ_STREAM_EVENTS, async () => {
      const { events } = await ours.readStream(tenant, 'long');
      if (events.length !== READ_STREAM_EVENTS) throw new Error(`read ${events.length}`);
    });
    const er = await measure(1, READS, READ_STREAM_EVENTS, async () => {
      const { events } = await emmett.readStream('long');
      if (events.length !== READ_STREAM_EVENTS) throw new Error(`read ${events.length}`);
    });
    results.push(
      row(`ours: read a ${READ_STREAM_EVENTS}-event stream`, or, { name: 'emmett', m: er }),
    );

    await emmett.close();
    await emmettPool.end().catch(() => undefined);
    await oursPool.end();
    return results;
  });
}
