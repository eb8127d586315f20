import { addMonthsToPeriod, dateInZone } from '@app/core';
import { readAs, type ReadSource } from '@app/database';
import {
  arrearsCountsWithChildren,
  childrenOf,
  duesPeriods,
  membersByIds,
  settingsOn,
  unionsByIds,
  type DuesPeriodRow,
  type MemberView,
  type UnionView,
} from '@app/read-models';
import DataLoader from 'dataloader';
import type { PoolClient } from 'pg';

/** Key of `duesPeriod`: the union, then the month. */
export const duesPeriodKey = (unionId: string, period: string): string =>
  `${unionId}\u0000${period}`;

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
  const duesPeriodCache = new Map<string, Promise<DuesPeriodRow>>();
  const loaders = {
    union: new DataLoader<string, UnionView | null>(
      (ids) => read('union', (c) => unionsByIds(c, tenantId, ids)),
      scheduled,
    ),
    children: new DataLoader<string, UnionView[]>(
      (ids) => read('children', (c) => childrenOf(c, tenantId, ids)),
      scheduled,
    ),
    member: new DataLoader<string, MemberView | null>(
      (ids) => read('member', (c) => membersByIds(c, tenantId, ids)),
      scheduled,
    ),
    /** members at or over the tenant's arrears threshold in each union's subtree, today */
    arrearsCount: new DataLoader<string, number>(async (ids) => {
      options.onBatch?.('arrearsCount');
      const today = dateInZone(new Date());
      const settings = await readAs(reader(), tenantId, (c) => settingsOn(c, tenantId, today));
      const counts = await arrearsCountsWithChildren(reader(), tenantId, ids, {
        minMonths: settings.arrearsWithdrawalMonths,
        upToPeriod: addMonthsToPeriod(today.slice(0, 7), -1),
      });
      // the children's figures came with it: a roll-up's next level reads nothing more
      for (const [id, n] of counts) if (!ids.includes(id)) loaders.arrearsCount.prime(id, n);
      return ids.map((id) => counts.get(id) ?? 0);
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
  };
  return {
    ...loaders,
    /**
     * Drops what these unions' roll-ups showed (a change notification named them), and every
     * member read, since a committee's names change with its union's events.
     */
    forgetUnions(unionIds: Iterable<string>): void {
      const ids = new Set(unionIds);
      for (const id of ids) {
        loaders.union.clear(id);
        loaders.children.clear(id);
        loaders.arrearsCount.clear(id);
      }
      for (const key of duesPeriodCache.keys())
        if (ids.has(key.slice(0, key.indexOf('\u0000')))) duesPeriodCache.delete(key);
      loaders.member.clearAll();
    },
  };
}

export type ReadLoaders = ReturnType<typeof createReadLoaders>;
