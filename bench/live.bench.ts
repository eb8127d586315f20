import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { mintToken } from '@app/auth';
import { createPool, ensureAppRole, ensureDatabase, freePort, runMigrations } from '@app/database';
import { PostgresEventStore, type StreamAppend } from '@app/event-store';
import { expectedDuesFen, NATIONAL_DUES_RULES } from '@app/unions';
import { createClient, type Client as WsClient } from 'graphql-ws';
import { Client } from 'pg';
import WebSocket from 'ws';
import { ensureDemoTenant } from '../apps/api/src/demo/demo-tenant';
import { rssSampler, startApi, waitForProjections, waitUntilReady } from './api.bench';
import {
  benchLog,
  databaseUrl,
  MANY_CLIENTS_SETTINGS,
  productionApiEnv,
  withBenchServer,
} from './bench-server';
import { percentile, type BenchResult } from './harness';
import { cpuSeconds, DeliveryTracker, type Follower } from './live-delivery';

/**
 * Live dashboards under load (issue 10, "Benchmark"): the built API in a child process, 1,000
 * `unionChanged` subscriptions over graphql-ws on loopback (spread over the demo tenant's unions,
 * 20 per connection), while this process writes dues payments through the event store at a target
 * rate (8 writers, each paying its own members in batches of up to 100 DuesPaid, one
 * multi-stream append each). Latency is end to end, per subscriber: from the moment an append
 * returned (committed) to the first message that shows it, i.e. that arrived after the dues
 * projection had applied it (DeliveryTracker); the first message after the commit whatever it
 * shows, and the projection lag alone, are printed beside it. With the 1 s coalescing window a
 * change waits up to 1 s for its union's next message by design.
 */
const SCALE = Number(process.env.BENCH_SCALE ?? '1');
const SUBSCRIPTIONS = Math.max(20, Math.round(1_000 * SCALE));
const PAYMENTS_PER_SECOND = Math.max(100, Math.round(5_000 * SCALE));
const SECONDS = Math.max(5, Math.round(20 * SCALE));
const PER_CONNECTION = 20;
const BATCH = 100;
const WRITERS = 8;
const DATABASE = 'bench_live';
const APP_ROLE = 'union_bench_live';
const WAGE_BASE_FEN = 750_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const SUBSCRIPTION = `subscription($id: ID!, $period: String!) { unionChanged(unionId: $id) {
  id stats { subtreeMembers arrearsMembers } duesPeriod(period: $period) { paidFen payingMembers } } }`;

interface Subscriber extends Follower {
  /** commit time of the oldest write this subscriber has not been told about yet */
  pendingSince: number | undefined;
  messages: number;
}

/** Active members with the unions (self and ancestors) whose figures a payment of theirs moves. */
async function payers(ownerUrl: string, tenantId: string) {
  const owner = new Client({ connectionString: ownerUrl });
  await owner.connect();
  try {
    const { rows } = await owner.query<{
      member_id: string;
      union_id: string;
      ancestors: string[];
    }>(
      `SELECT m.member_id, m.union_id, u.ancestors FROM rm_members m
         JOIN rm_unions u ON u.tenant_id = m.tenant_id AND u.union_id = m.union_id
        WHERE m.tenant_id = $1 AND m.status = 'ACTIVE' ORDER BY m.member_id`,
      [tenantId],
    );
    return rows;
  } finally {
    await owner.end();
  }
}

export async function runLiveBench(): Promise<BenchResult[]> {
  console.log(
    `live bench: ${SUBSCRIPTIONS} subscriptions, target ${PAYMENTS_PER_SECOND} payments/s for ` +
      `${SECONDS} s, ${cpus().length} cores, load average ${loadavg()
        .map((l) => l.toFixed(2))
        .join(' ')}`,
  );
  return withBenchServer('live', MANY_CLIENTS_SETTINGS, async (maintenanceUrl, postmaster) => {
    const admin = new Client({ connectionString: maintenanceUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
    await admin.end();
    await ensureDatabase(maintenanceUrl, DATABASE);
    const ownerUrl = databaseUrl(maintenanceUrl, DATABASE);
    await runMigrations(ownerUrl);
    await ensureAppRole(ownerUrl, APP_ROLE, APP_ROLE);
    const appUrl = databaseUrl(ownerUrl, DATABASE, APP_ROLE, APP_ROLE);
    const pool = createPool(appUrl, { max: 8, applicationName: 'bench-live-writer' });
    const store = new PostgresEventStore(pool);
    const demo = await ensureDemoTenant(store, benchLog);
    const dataDir = mkdtempSync(join(tmpdir(), 'union-bench-live-data-'));
    const env = productionApiEnv(ownerUrl, appUrl, dataDir);
    const secret = env.AUTH_JWT_SECRET;
    const server = startApi(env, await freePort());
    const rss = rssSampler(server.child.pid!);
    const clients: WsClient[] = [];
    const delivery = new DeliveryTracker();
    try {
      await waitUntilReady(server);
      await waitForProjections(server.graphqlUrl);
      const members = await payers(ownerUrl, demo.tenantId);
      const unions = [...new Set(members.flatMap((m) => m.ancestors))].sort();
      console.log(
        `  ${members.length} paying members under ${unions.length} unions; RSS ${rss.now().toFixed(0)} MiB`,
      );
      const token = await mintToken(secret, {
        sub: 'bench-dashboard',
        tenant: demo.tenantId,
        roles: ['OFFICER'],
      });
      const period = '2026-10';
      const byUnion = new Map<string, Subscriber[]>();
      const subscribers: Subscriber[] = [];
      const closes: string[] = [];
      const failures: string[] = [];
      /** commit -> the first message that shows it (see DeliveryTracker) */
      const latencies: number[] = [];
      /** commit -> the first message after it, whatever it shows (the earlier measure) */
      const nextMessage: number[] = [];
      const appendMs: number[] = [];
      delivery.start(ownerUrl);
      let measuring = false;
      let messages = 0;
      const wsUrl = server.graphqlUrl.replace(/^http/, 'ws');
      for (let i = 0; i < SUBSCRIPTIONS; i++) {
        if (i % PER_CONNECTION === 0)
          clients.push(
            createClient({
              url: wsUrl,
              webSocketImpl: WebSocket,
              retryAttempts: 0,
              connectionParams: { authorization: `Bearer ${token}` },
              on: { closed: (e) => closes.push(String((e as { code?: number }).code)) },
            }),
          );
        const sub: Subscriber = {
          unionId: unions[i % unions.length]!,
          next: 0,
          pendingSince: undefined,
          messages: 0,
        };
        subscribers.push(sub);
        byUnion.set(sub.unionId, [...(byUnion.get(sub.unionId) ?? []), sub]);
        clients.at(-1)!.subscribe(
          { query: SUBSCRIPTION, variables: { id: sub.unionId, period } },
          {
            next: (result) => {
              if (result.errors) failures.push(JSON.stringify(result.errors[0]));
              sub.messages += 1;
              if (!measuring) return;
              messages += 1;
              const now = Date.now();
              if (sub.pendingSince !== undefined) nextMessage.push(now - sub.pendingSince);
              sub.pendingSince = undefined;
              const shown = delivery.message(sub, now);
              if (shown !== undefined) latencies.push(shown);
            },
            error: (e) => failures.push(e instanceof Error ? e.message : JSON.stringify(e)),
            complete: () => undefined,
          },
        );
      }

      let round = 0;
      // writers never share a member stream: each owns every WRITERS-th member
      const lanes = Array.from({ length: WRITERS }, (_, lane) =>
        members.filter((_, i) => i % WRITERS === lane),
      );
      /** One append paying up to BATCH members of a lane; marks the subscribers it concerns. */
      const payBatch = async (lane: number) => {
        round += 1;
        const own = lanes[lane]!;
        const start = (round * BATCH) % own.length;
        const size = Math.min(BATCH, own.length);
        const batch = Array.from({ length: size }, (_, k) => own[(start + k) % own.length]!);
        const appends: StreamAppend[] = batch.map((m) => {
          const amountFen = expectedDuesFen(WAGE_BASE_FEN, NATIONAL_DUES_RULES) + (round % 50);
          return {
            streamId: `member-${m.member_id}`,
            events: [
              {
                type: 'DuesPaid',
                data: {
                  memberId: m.member_id,
                  unionId: m.union_id,
                  period,
                  wageBaseFen: WAGE_BASE_FEN,
                  expectedFen: amountFen,
                  amountFen,
                  paidOn: '2026-11-20',
                  source: 'PAYMENT',
                },
              },
            ],
          };
        });
        const begun = Date.now();
        const result = await store.appendToStreams(demo.tenantId, appends);
        const committed = Date.now();
        if (measuring) appendMs.push(committed - begun);
        const touched = new Set(batch.flatMap((m) => m.ancestors));
        delivery.committed(touched, result.transactionId, result.position, committed);
        if (measuring)
          for (const unionId of touched)
            for (const sub of byUnion.get(unionId) ?? []) sub.pendingSince ??= committed;
        return appends.length;
      };

      // warm-up: every subscription is live once it has had a message
      const warmupDeadline = Date.now() + 60_000;
      while (subscribers.some((s) => s.messages === 0) && Date.now() < warmupDeadline) {
        await payBatch(round % WRITERS);
        await sleep(200);
      }
      const silent = subscribers.filter((s) => s.messages === 0).length;
      console.log(
        `  subscriptions live: ${SUBSCRIPTIONS - silent} of ${SUBSCRIPTIONS}; RSS ${rss.now().toFixed(0)} MiB`,
      );

      rss.phase();
      for (const sub of subscribers) delivery.follow(sub);
      measuring = true;
      const started = Date.now();
      const cpuAtStart = [cpuSeconds(server.child.pid), cpuSeconds(postmaster, true)];
      let written = 0;
      // each writer keeps its share of the target rate; a store that cannot keep up sets the pace
      await Promise.all(
        lanes.map(async (own, lane) => {
          const interval = (1000 * Math.min(BATCH, own.length) * WRITERS) / PAYMENTS_PER_SECOND;
          for (let n = 0; Date.now() - started < SECONDS * 1000; n++) {
            const due = started + n * interval;
            if (due > Date.now()) await sleep(due - Date.now());
            // not `written += await …`: that reads `written` before the await and loses the
            // other writers' counts made meanwhile
            const paid = await payBatch(lane);
            written += paid;
          }
        }),
      );
      const writeSeconds = (Date.now() - started) / 1000;
      // the tail: the last writes' messages
      const tailDeadline = Date.now() + 30_000;
      const behind = () =>
        subscribers.some((s) => s.pendingSince !== undefined || delivery.waiting(s) > 0);
      while (behind() && Date.now() < tailDeadline) await sleep(100);
      // CPU per 1,000 payments (writes and their tail): comparable across runs on a shared machine, unlike latency
      const [apiCpu, pgCpu] = [cpuSeconds(server.child.pid), cpuSeconds(postmaster, true)].map(
        (s, i) => (((s - cpuAtStart[i]!) * 1000) / Math.max(1, written)).toFixed(2),
      );
      const seconds = (Date.now() - started) / 1000;
      measuring = false;
      rss.phase();
      const peak = rss.peak();
      const lag = delivery.projectionLagMs;
      for (const list of [latencies, nextMessage, appendMs, lag]) list.sort((a, b) => a - b);
      const p50 = percentile(latencies, 50);
      const p99 = percentile(latencies, 99);
      const spread = (list: number[]) =>
        `p50 ${percentile(list, 50)} ms, p99 ${percentile(list, 99)} ms, max ${list.at(-1) ?? 0} ms`;
      const waiting = subscribers.filter((s) => delivery.waiting(s) > 0).length;
      console.log(
        `  ${written} payments in ${writeSeconds.toFixed(1)} s = ${(written / writeSeconds).toFixed(0)}/s ` +
          `(${appendMs.length} appends: ${spread(appendMs)}); CPU s per 1,000 payments: API ` +
          `${apiCpu}, PostgreSQL ${pgCpu}; ` +
          `${messages} messages in ${seconds.toFixed(1)} s = ${(messages / seconds).toFixed(0)}/s; ` +
          `commit -> dues projected ${spread(lag)}; commit -> next message ${spread(nextMessage)}; ` +
          `commit -> message showing it ${spread(latencies)}; ` +
          `server RSS peak ${peak.toFixed(0)} MiB; ${waiting} still waiting; closes [${closes.join(',')}]; ` +
          `${failures.length} errors${failures[0] ? ` (first: ${failures[0]})` : ''}; load average ${loadavg()[0]!.toFixed(2)}`,
      );
      return [
        {
          case: `subscriptions (${SUBSCRIPTIONS - silent} live)`,
          unit: 'count',
          value: SUBSCRIPTIONS,
        },
        {
          case: `dues payments written (target ${PAYMENTS_PER_SECOND})`,
          unit: 'per s',
          value: written / writeSeconds,
        },
        {
          case: 'commit -> message showing it (target p99 <= 1500)',
          unit: 'messages/s',
          value: messages / seconds,
          p50Ms: p50,
          p99Ms: p99,
        },
        { case: 'server peak RSS (target <= 400)', unit: 'MiB', value: peak },
      ];
    } finally {
      await delivery.stop();
      rss.stop();
      for (const client of clients) void client.dispose();
      await server.stop();
      await pool.end();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
}
