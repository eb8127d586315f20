import { addMonthsToPeriod, isIsoDate, type IsoDate } from '@app/core';
import type { PoolClient } from 'pg';
import { settingsOn } from '../settings/settings.projection';
import { unionPath } from '../transfers/rows-sql';
import { addDays, TRANSFER_STALLED_DAYS, type ComplianceAlert } from './compliance-alert';
import { readComplianceScope } from './compliance-sql';
import { alertsOf } from './compliance.rules';

export interface ComplianceAlertsOptions {
  /** The whole subtree (every active union under it, any depth) or the union alone. */
  readonly includeSubtree?: boolean;
  /** The day judged, in the tenant's time zone; date-dependent rules are evaluated against it. */
  readonly today: IsoDate;
}

const monthNumber = (period: string) =>
  Number(period.slice(0, 4)) * 12 + Number(period.slice(5, 7)) - 1;

/**
 * Compliance alerts of a union (or its subtree) on `today`, evaluated now from the stored facts
 * (rm_unions, rm_members, rm_transfers) and the tenant settings in force on that day; nothing is
 * frozen at projection time, so an alert appears or clears as the date passes a boundary.
 * Ordered by union path, then rule order. An unknown or inactive union has no alerts.
 */
export async function complianceAlerts(
  client: PoolClient,
  tenantId: string,
  unionId: string,
  options: ComplianceAlertsOptions,
): Promise<ComplianceAlert[]> {
  const { today } = options;
  if (!isIsoDate(today))
    throw new RangeError(`today must be a date (YYYY-MM-DD), got ${String(today)}`);
  const settings = await settingsOn(client, tenantId, today);
  const path = options.includeSubtree ? await unionPath(client, tenantId, unionId) : null;
  if (options.includeSubtree && path === null) return [];
  const rows = await readComplianceScope(client, {
    tenantId,
    unionId,
    subtreePath: path,
    lastDueMonth: monthNumber(addMonthsToPeriod(today.slice(0, 7), -1)),
    arrearsMonths: settings.arrearsWithdrawalMonths,
    stalledBefore: addDays(today, -TRANSFER_STALLED_DAYS),
  });
  return rows.flatMap((row) => alertsOf(row, today, settings));
}
