import type { Event, IsoDate } from '@app/core';
import type { RulePreset, RuleSettingsOverrides } from './rule-settings';

export type TenantSettingsProvisioned = Event<
  'TenantSettingsProvisioned',
  {
    tenantId: string;
    preset: RulePreset;
    provisionedOn: IsoDate;
    /** The tenant's display name (absent in tenants provisioned before it was kept). */
    name?: string;
  }
>;

/**
 * From `effectiveOn` on: switch to `preset` (when given) and then apply `overrides`. Earlier
 * decisions keep the settings they were judged by.
 */
export type RuleSettingsChanged = Event<
  'RuleSettingsChanged',
  {
    effectiveOn: IsoDate;
    preset?: RulePreset;
    overrides: RuleSettingsOverrides;
    reason: string;
    decidedOn: IsoDate;
  }
>;

export type TenantSettingsEvent = TenantSettingsProvisioned | RuleSettingsChanged;
