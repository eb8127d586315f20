import type { Command, IsoDate } from '@app/core';
import type { RulePreset, RuleSettingsOverrides } from './rule-settings';

export type ProvisionTenantSettings = Command<
  'ProvisionTenantSettings',
  { tenantId: string; preset?: RulePreset; provisionedOn: IsoDate; name?: string }
>;

export type ChangeRuleSettings = Command<
  'ChangeRuleSettings',
  {
    effectiveOn: IsoDate;
    preset?: RulePreset;
    overrides?: RuleSettingsOverrides;
    reason: string;
    /** The business date of the decision (today in the tenant's zone, resolved by the handler). */
    decidedOn: IsoDate;
  }
>;

export type TenantSettingsCommand = ProvisionTenantSettings | ChangeRuleSettings;
