import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
  case: string;
  unit: string;
  value: number;
  p50Ms?: number;
  p99Ms?: number;
  peer?: string;
  peerValue?: number;
  ratio?: number;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export interface Measured {
  events: number;
  seconds: number;
  eventsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Runs `clients` workers that each pull operations from a shared counter until `operations` are
 * done; every operation's latency is recorded.
 */
export async function measure(
  clients: number,
  operations: number,
  eventsPerOperation: number,
  operation: (index: number) => Promise<unknown>,
): Promise<Measured> {
  let next = 0;
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      for (let i = next++; i < operations; i = next++) {
        const t0 = process.hrtime.bigint();
        await operation(i);
        latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
      }
    }),
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  latencies.sort((a, b) => a - b);
  const events = operations * eventsPerOperation;
  return {
    events,
    seconds,
    eventsPerSecond: events / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

export function printTable(title: string, results: BenchResult[]): void {
  console.log(`\n${title}`);
  console.table(
    results.map((r) => ({
      case: r.case,
      [r.unit]: Math.round(r.value),
      'p50 ms': r.p50Ms?.toFixed(2) ?? '',
      'p99 ms': r.p99Ms?.toFixed(2) ?? '',
      peer: r.peer ?? '',
      'peer value': r.peerValue !== undefined ? Math.round(r.peerValue) : '',
      ratio: r.ratio !== undefined ? `${r.ratio.toFixed(2)}x` : '',
    })),
  );
}

export function writeResults(bench: string, results: BenchResult[]): string {
  const dir = join(process.cwd(), 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${bench}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      results.map((r) => ({ ...r, measuredAt: new Date().toISOString() })),
      null,
      2,
    ),
  );
  return file;
}
