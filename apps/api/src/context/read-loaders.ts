import { addMonthsToPeriod, dateInZone } from '@app/core';
import { isReader, readAs, type ReadSource } from '@app/database';
import {
  arrearsCountsWithChildren,
  childrenOf,
  complianceAlerts,
  duesPeriods,
  membersByIds,
  membersByIdsInOneTrip,
  settingsOn,
  unionsByIds,
  type ComplianceAlert,
  type DuesPeriodRow,
  type MemberView,
  type UnionView,
} from '@app/read-models';
import DataLoader from 'dataloader';
import type { PoolClient } from 'pg';

/** Key of `duesPeriod`: the union, then the month. */
export const duesPeriodKey = (unionId: string, period: string): string =>
  `${unionId}\u0000${period}`;

/** Key of `alerts`: the union, then whether its subtree is included. */
export const alertsKey = (unionId: string, includeSubtree: boolean): string =>
  `${unionId}\u0000${includeSubtree ? 'subtree' : 'own'}`;

const unionOfKey = (key: string): string => key.slice(0, key.indexOf('\u0000'));

export interface LoaderOptions {
  /** When a batch is dispatched (DataLoader's default: after the current tick). */
  batchScheduleFn?: (callback: () => void) => void;
  /** Counts each batch read, by loader name (tests, metrics). */
  onBatch?: (loader: string) => void;
}

/**
 * The DataLoaders of one tenant's reads (one query per field per level instead of one per row).
 * What they return depends on the tenant and the database only, never on who asks: masking by
 * permission and the language are applied by the resolvers, so one set may serve a request or,
 * for live subscriptions, every subscriber of a tenant in this process (LiveReadCache).
 */
export function createReadLoaders(
  tenantId: string,
  reader: () => ReadSource,
  options: LoaderOptions = {},
) {
  const read = <T>(name: string, work: (client: PoolClient) => Promise<T>) => {
    options.onBatch?.(name);
    return readAs(reader(), tenantId, work);
  };
  const scheduled = { batchScheduleFn: options.batchScheduleFn };
  // caches keyed by union + something: dropped by union in forgetUnions
  const duesPeriodCache = new Map<string, Promise<DuesPeriodRow>>();
  /** Arrears figures read so far (a union's batch brings its children's too). */
  const arrearsKnown = new Map<string, number>();
  let arrearsBatch: Promise<void> = Promise.resolve();
  /** Moves with forgetUnions: a batch that read before a change does not remember its figures. */
  let arrearsGeneration = 0;
  const alertsCache = new Map<string, Promise<ComplianceAlert[]>>();
  const loaders = {
    union: new DataLoader<string, UnionView | null>(
      (ids) => read('union', (c) => unionsByIds(c, tenantId, ids)),
      scheduled,
    ),
    children: new DataLoader<string, UnionView[]>(
      (ids) => read('children', (c) => childrenOf(c, tenantId, ids)),
      scheduled,
    ),
    member: new DataLoader<string, MemberView | null>((ids) => {
      const source = reader();
      if (isReader(source)) return read('member', (c) => membersByIds(c, tenantId, ids));
      // no request transaction to join (a mutation's scope check): one round trip, not three
      options.onBatch?.('member');
      return membersByIdsInOneTrip(source, tenantId, ids);
    }, scheduled),
    /** members at or over the tenant's arrears threshold in each union's subtree, today */
    arrearsCount: new DataLoader<string, number>(async (ids) => {
      // a roll-up asks for a union, then (before that answer is in) for its children: the
      // first batch counts those too, so a later batch waits for it and reads only what is left
      const previous = arrearsBatch;
      let done: () => void = () => undefined;
      arrearsBatch = new Promise<void>((resolve) => (done = resolve));
      try {
        await previous;
        const generation = arrearsGeneration;
        const missing = ids.filter((id) => !arrearsKnown.has(id));
        if (missing.length > 0) {
          options.onBatch?.('arrearsCount');
          const today = dateInZone(new Date());
          const settings = await readAs(reader(), tenantId, (c) => settingsOn(c, tenantId, today));
          const counts = await arrearsCountsWithChildren(reader(), tenantId, missing, {
            minMonths: settings.arrearsWithdrawalMonths,
            upToPeriod: addMonthsToPeriod(today.slice(0, 7), -1),
          });
          if (generation === arrearsGeneration) counts.forEach((n, id) => arrearsKnown.set(id, n));
          return ids.map((id) => arrearsKnown.get(id) ?? counts.get(id) ?? 0);
        }
        return ids.map((id) => arrearsKnown.get(id) ?? 0);
      } finally {
        done();
      }
    }, scheduled),
    /** one month of the dues report over each union's subtree (keys from duesPeriodKey) */
    duesPeriod: new DataLoader<string, DuesPeriodRow>(
      async (keys) => {
        options.onBatch?.('duesPeriod');
        const byPeriod = new Map<string, string[]>();
        for (const key of keys) {
          const [unionId, period] = key.split('\u0000') as [string, string];
          byPeriod.set(period, [...(byPeriod.get(period) ?? []), unionId]);
        }
        const found = new Map<string, DuesPeriodRow>();
        for (const [period, unionIds] of byPeriod) {
          const rows = await duesPeriods(reader(), tenantId, unionIds, period);
          rows.forEach((row, unionId) => found.set(duesPeriodKey(unionId, period), row));
        }
        return keys.map((key) => found.get(key)!);
      },
      { ...scheduled, cacheMap: duesPeriodCache },
    ),
    /** the compliance alerts of a union (or under it), today; keys from alertsKey */
    alerts: new DataLoader<string, ComplianceAlert[]>(
      (keys) =>
        read('alerts', async (c) => {
          const today = dateInZone(new Date());
          const found: ComplianceAlert[][] = [];
          for (const key of keys) {
            const includeSubtree = key.endsWith('\u0000subtree');
            found.push(
              await complianceAlerts(c, tenantId, unionOfKey(key), { includeSubtree, today }),
            );
          }
          return found;
        }),
      { ...scheduled, cacheMap: alertsCache },
    ),
  };
  return {
    ...loaders,
    /**
     * Drops what these unions' roll-ups showed (a change notification named them), and every
     * member read, since a committee's names change with its union's events.
     */
    forgetUnions(unionIds: Iterable<string>): void {
      const ids = new Set(unionIds);
      arrearsGeneration += 1;
      for (const id of ids) {
        loaders.union.clear(id);
        loaders.children.clear(id);
        loaders.arrearsCount.clear(id);
        arrearsKnown.delete(id);
      }
      for (const cache of [duesPeriodCache, alertsCache])
        for (const key of cache.keys()) if (ids.has(unionOfKey(key))) cache.delete(key);
      loaders.member.clearAll();
    },
  };
}

export type ReadLoaders = ReturnType<typeof createReadLoaders>;
