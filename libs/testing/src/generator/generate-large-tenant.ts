import { addMonthsToPeriod, isPeriod, type Period } from '@app/core';
import type { StreamAppend } from '@app/event-store';
import { countTenant, tenantGroups, type StreamGroup, type TenantCounts } from './events';
import { planGovernance } from './governance';
import { addDays, planMembers, planUnions, type TenantPlan } from './plan';
import { Prng } from './prng';

export interface LargeTenantOptions {
  /** Written into TenantSettingsProvisioned; default 'large-demo'. */
  readonly tenantId?: string;
  /** Default 42. */
  readonly seed?: number;
  /** 1 = 250,000 members, ~15,600 unions; 0.01 for tests. */
  readonly scale?: number;
  /** The last payroll month; default '2026-10'. */
  readonly lastPeriod?: Period;
  /** Months of payroll dues; default 24. */
  readonly months?: number;
  /** Streams per appendToStreams call; default 2,000. */
  readonly batchStreams?: number;
}

/** One appendToStreams call. */
export interface StreamBatch {
  readonly phase: string;
  readonly appends: StreamAppend[];
  readonly events: number;
  readonly streamIds: ReadonlySet<string>;
  /**
   * May be in flight beside other batches of its phase that name none of its streams (members,
   * committees, payrolls). False where later batches depend on earlier ones (the union tree).
   */
  readonly concurrent: boolean;
}

const SEQUENTIAL_PHASES = new Set(['settings', 'unions']);

export interface LargeTenant {
  readonly tenantId: string;
  readonly seed: number;
  readonly scale: number;
  readonly plan: TenantPlan;
  readonly counts: TenantCounts;
  /** The whole history as appendToStreams batches, in order; each call starts over, identically. */
  batches(): AsyncGenerator<StreamBatch>;
}

export const DEFAULT_LAST_PERIOD: Period = '2026-10';

/**
 * A tenant shaped like the seed's company (issue 6, "Scale data"): deterministic for a seed,
 * never Math.random. The plan (tree, members and their life in the window, committees) is built
 * up front; the events are produced lazily, batch by batch.
 */
export function generateLargeTenant(options: LargeTenantOptions = {}): LargeTenant {
  const tenantId = options.tenantId ?? 'large-demo';
  const seed = options.seed ?? 42;
  const scale = options.scale ?? 1;
  const months = options.months ?? 24;
  const lastPeriod = options.lastPeriod ?? DEFAULT_LAST_PERIOD;
  const batchStreams = options.batchStreams ?? 2000;
  if (!(scale > 0 && scale <= 10)) throw new Error(`scale must be in (0, 10], got ${scale}`);
  if (!Number.isInteger(months) || months < 1) throw new Error(`months must be >= 1`);
  if (!isPeriod(lastPeriod))
    throw new Error(`lastPeriod must be YYYY-MM, got ${String(lastPeriod)}`);
  const firstPeriod = addMonthsToPeriod(lastPeriod, 1 - months);
  const windowEnd = addDays(`${addMonthsToPeriod(lastPeriod, 1)}-01`, -1);

  const prng = new Prng(seed);
  const unions = planUnions(prng, scale, `${firstPeriod}-01`);
  const members = planMembers(prng, scale, unions, firstPeriod, months);
  planGovernance(prng, unions, members, windowEnd);
  const plan: TenantPlan = { unions, members, firstPeriod, months };
  const counts = countTenant(plan, seed);

  return {
    tenantId,
    seed,
    scale,
    plan,
    counts,
    // eslint-disable-next-line @typescript-eslint/require-await -- an async source for the writer
    async *batches() {
      yield* chunk(tenantGroups(tenantId, plan, seed), batchStreams);
    },
  };
}

/**
 * Packs groups into batches of at most `maxStreams` streams, never splitting a group that fits,
 * never mixing phases, never naming a stream twice in one call. A group larger than a batch is
 * split in order (its last stream, e.g. a payroll summary, goes with its last part).
 */
function* chunk(groups: Iterable<StreamGroup>, maxStreams: number): Generator<StreamBatch> {
  let appends: StreamAppend[] = [];
  let streams = new Set<string>();
  let events = 0;
  let phase = '';
  const flush = (): StreamBatch => {
    const batch = {
      phase,
      appends,
      events,
      streamIds: streams,
      concurrent: !SEQUENTIAL_PHASES.has(phase),
    };
    appends = [];
    streams = new Set();
    events = 0;
    return batch;
  };
  for (const group of groups) {
    const clash =
      group.phase !== phase ||
      appends.length + group.appends.length > maxStreams ||
      group.appends.some((a) => streams.has(a.streamId));
    if (appends.length > 0 && clash) yield flush();
    phase = group.phase;
    for (const append of group.appends) {
      if (appends.length >= maxStreams) yield flush();
      appends.push(append);
      streams.add(append.streamId);
      events += append.events.length;
    }
  }
  if (appends.length > 0) yield flush();
}
