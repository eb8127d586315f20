import { foldEvents, type IsoDate, type RecordedEvent } from '@app/core';
import {
  settingsInForce,
  tenantSettingsDecider,
  type RuleSettings,
  type TenantSettingsEvent,
  type TenantSettingsState,
} from '@app/unions';
import type { PoolClient } from 'pg';
import type { Projection, TenantBatch } from '../runner/projection';

export const SETTINGS_PROJECTION = 'settings';

const SETTINGS_EVENT_TYPES: ReadonlySet<string> = new Set<TenantSettingsEvent['type']>([
  'TenantSettingsProvisioned',
  'RuleSettingsChanged',
]);

function effectiveOn(event: TenantSettingsEvent): IsoDate {
  switch (event.type) {
    case 'TenantSettingsProvisioned':
      return event.data.provisionedOn;
    case 'RuleSettingsChanged':
      return event.data.effectiveOn;
    default: {
      const unhandled: never = event;
      return unhandled;
    }
  }
}

/**
 * Keeps every tenant-settings event (one row per event, keyed by its position, so a replayed
 * batch inserts nothing). Settings are effective-dated, so the model stores the changes, not a
 * "current" row: `settingsOn` folds them with the decider's own evolve for any date.
 */
export class SettingsProjection implements Projection {
  readonly name = SETTINGS_PROJECTION;
  readonly eventTypes = SETTINGS_EVENT_TYPES;
  readonly tables = ['rm_tenant_settings'];

  async apply(client: PoolClient, { tenantId, events }: TenantBatch): Promise<void> {
    const rows = events
      .filter((e) => SETTINGS_EVENT_TYPES.has(e.type))
      .map((e: RecordedEvent) => {
        const event = e as unknown as TenantSettingsEvent;
        return {
          position: e.globalPosition,
          type: event.type,
          effective_on: effectiveOn(event),
          data: event.data,
        };
      });
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO rm_tenant_settings (tenant_id, position, type, effective_on, data)
       SELECT $1, position, type, effective_on, data
         FROM jsonb_to_recordset($2::jsonb) AS x(position bigint, type text, effective_on date, data jsonb)
       ON CONFLICT (tenant_id, position) DO NOTHING`,
      [tenantId, JSON.stringify(rows)],
    );
  }
}

/** The tenant-settings state as the decider would fold it from the recorded events. */
export async function settingsStateOf(
  client: PoolClient,
  tenantId: string,
): Promise<TenantSettingsState> {
  const { rows } = await client.query<{ type: TenantSettingsEvent['type']; data: unknown }>(
    `SELECT type, data FROM rm_tenant_settings WHERE tenant_id = $1 ORDER BY position`,
    [tenantId],
  );
  return foldEvents(
    tenantSettingsDecider,
    rows.map((row) => ({ type: row.type, data: row.data }) as TenantSettingsEvent),
  );
}

/**
 * The rule settings in force on `date` (changes effective on or before it, in effective-date
 * order); a tenant never provisioned gets the default preset, as in the deciders.
 */
export async function settingsOn(
  client: PoolClient,
  tenantId: string,
  date: IsoDate,
): Promise<RuleSettings> {
  return settingsInForce(await settingsStateOf(client, tenantId), date);
}
