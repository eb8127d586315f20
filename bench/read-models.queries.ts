import { addMonthsToPeriod } from '@app/core';
import { withTenant } from '@app/database';
import {
  arrears,
  duesReport,
  encodeCursor,
  rosterAsOf,
  subordinateUnions,
  unionsByIds,
} from '@app/read-models';
import { Prng } from '@app/testing';
import { Pool, type PoolClient } from 'pg';
import { percentile, type BenchResult } from './harness';

export interface UnionRef {
  union_id: string;
  path: string;
  level: string;
}

export interface QueryContext {
  tenantId: string;
  unions: UnionRef[];
  lastPeriod: string;
  firstPeriod: string;
}

type Run = (pool: Pool, pick: number) => Promise<unknown>;

interface QueryCase {
  name: string;
  targetP99Ms: number;
  /** Built once, before timing: the random picks of this case. */
  run: Run;
}

const PICKS = 1000;

const inTenant =
  <T>(ctx: QueryContext, work: (c: PoolClient) => Promise<T>) =>
  (pool: Pool) =>
    withTenant(pool, ctx.tenantId, work, { readOnly: true });

/** The five queries of issue 6 with their targets, over seeded random picks. */
export function queryCases(ctx: QueryContext): QueryCase[] {
  const prng = new Prng(7);
  const root = ctx.unions.find((u) => u.level === 'COMPANY')!;
  const units = ctx.unions.filter((u) => u.level === 'SECONDARY_UNIT');
  const upper = [root, ...units];
  const rolls = ctx.unions.filter((u) => u.level !== 'GROUP');
  const picks = <T>(draw: () => T): T[] => Array.from({ length: PICKS }, draw);

  const pages = picks(() => {
    const top = prng.pick(upper);
    const inside = ctx.unions.filter((u) => u.path.startsWith(top.path));
    return { top, after: encodeCursor(prng.pick(inside).path) };
  });
  const reportUnits = picks(() => prng.pick(units));
  const arrearsRoots = picks(() => prng.pick(upper));
  const days = Math.max(
    1,
    (Date.parse(`${ctx.lastPeriod}-28`) - Date.parse(`${ctx.firstPeriod}-01`)) / 864e5,
  );
  const rosters = picks(() => ({
    union: prng.pick(rolls),
    date: new Date(Date.parse(`${ctx.firstPeriod}-01`) + prng.int(0, days) * 864e5)
      .toISOString()
      .slice(0, 10),
  }));
  const from = addMonthsToPeriod(ctx.lastPeriod, -11);

  return [
    {
      name: 'HQ subtree roll-up of the company root',
      targetP99Ms: 20,
      run: (pool) => inTenant(ctx, (c) => unionsByIds(c, ctx.tenantId, [root.union_id]))(pool),
    },
    {
      name: 'subordinateUnions page of 100',
      targetP99Ms: 50,
      run: (pool, i) => {
        const { top, after } = pages[i]!;
        return inTenant(ctx, (c) =>
          subordinateUnions(c, ctx.tenantId, top.path, {}, { first: 100, after }),
        )(pool);
      },
    },
    {
      name: "secondary unit's duesReport, 12 months",
      targetP99Ms: 50,
      run: (pool, i) =>
        duesReport(pool, ctx.tenantId, reportUnits[i]!.union_id, from, ctx.lastPeriod),
    },
    {
      name: 'arrears page of 100 (company or unit)',
      targetP99Ms: 50,
      run: (pool, i) =>
        arrears(pool, ctx.tenantId, arrearsRoots[i]!.union_id, {
          minMonths: 6,
          upToPeriod: ctx.lastPeriod,
          first: 100,
        }),
    },
    {
      name: 'roster as of a past date (subtree, page of 100)',
      targetP99Ms: 100,
      run: (pool, i) => {
        const { union, date } = rosters[i]!;
        return inTenant(ctx, (c) =>
          rosterAsOf(
            c,
            ctx.tenantId,
            { unionPath: union.path, unionId: union.union_id, includeSubtree: true },
            date,
            { first: 100 },
          ),
        )(pool);
      },
    },
  ];
}

/**
 * Runs each case over its picks (one client, after a warm-up of 50), and for a case that misses
 * its p99 target replays its slowest pick with auto_explain (ANALYZE, BUFFERS) on a connection
 * that runs as the application role, printing the plans of the read-model statements.
 */
export async function runQueries(
  ctx: QueryContext,
  appPool: Pool,
  ownerUrl: string,
  appRole: string,
): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const query of queryCases(ctx)) {
    for (let i = 0; i < 50; i++) await query.run(appPool, i);
    const latencies: number[] = [];
    for (let i = 0; i < PICKS; i++) {
      const t0 = process.hrtime.bigint();
      await query.run(appPool, i);
      latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
    const sorted = [...latencies].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p99 = percentile(sorted, 99);
    const met = p99 <= query.targetP99Ms;
    console.log(
      `  ${query.name}: p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms ` +
        `(target p99 <= ${query.targetP99Ms} ms: ${met ? 'met' : 'MISSED'})`,
    );
    results.push({
      case: `${query.name} (p99 target ${query.targetP99Ms} ms${met ? '' : ', MISSED'})`,
      unit: 'queries/s',
      value: 1000 / (latencies.reduce((a, b) => a + b, 0) / latencies.length),
      p50Ms: p50,
      p99Ms: p99,
    });
    if (!met) {
      const slowest = latencies.indexOf(Math.max(...latencies));
      await explain(ownerUrl, appRole, (pool) => query.run(pool, slowest)).catch((error: Error) =>
        console.log(`  (EXPLAIN not available: ${error.message})`),
      );
    }
  }
  return results;
}

async function explain(ownerUrl: string, appRole: string, run: (pool: Pool) => Promise<unknown>) {
  const pool = new Pool({ connectionString: ownerUrl, max: 1, idleTimeoutMillis: 0 });
  const plans: string[] = [];
  try {
    const client = await pool.connect();
    client.on('notice', (notice) => {
      if (/rm_/.test(notice.message ?? '')) plans.push(notice.message ?? '');
    });
    await client.query(`LOAD 'auto_explain'`);
    await client.query(
      `SET auto_explain.log_min_duration = 0; SET auto_explain.log_analyze = on;
       SET auto_explain.log_buffers = on; SET auto_explain.log_nested_statements = on;
       SET auto_explain.log_level = notice; SET ROLE ${appRole}`,
    );
    client.release();
    await run(pool);
    console.log(`  EXPLAIN (ANALYZE, BUFFERS) of the slowest pick:\n${plans.join('\n')}`);
  } finally {
    await pool.end();
  }
}
