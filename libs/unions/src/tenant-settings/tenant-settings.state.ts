import type { IsoDate } from '@app/core';
import {
  presetSettings,
  type RulePreset,
  type RuleSettings,
  type RuleSettingsOverrides,
} from './rule-settings';

export interface ScheduledSettingsChange {
  readonly effectiveOn: IsoDate;
  readonly preset?: RulePreset;
  readonly overrides: RuleSettingsOverrides;
}

export type TenantSettingsState =
  | { readonly status: 'UNPROVISIONED' }
  | {
      readonly status: 'PROVISIONED';
      readonly tenantId: string;
      readonly preset: RulePreset;
      readonly provisionedOn: IsoDate;
      readonly name: string | null;
      /** In recording order; `settingsInForce` orders them by effective date. */
      readonly changes: readonly ScheduledSettingsChange[];
    };

/**
 * The settings that judge a decision dated `date`: the provisioned preset, then every change
 * effective on or before that date, in order of effective date (recording order on ties). Dates
 * before provisioning (imported history) are judged by the provisioned preset.
 */
export function settingsInForce(state: TenantSettingsState, date: IsoDate): RuleSettings {
  if (state.status === 'UNPROVISIONED') return presetSettings('ENTERPRISE_REGULATION');
  const applicable = state.changes
    .map((change, index) => ({ change, index }))
    .filter(({ change }) => change.effectiveOn <= date)
    .sort((a, b) => a.change.effectiveOn.localeCompare(b.change.effectiveOn) || a.index - b.index);
  return applicable.reduce<RuleSettings>(
    (settings, { change }) => ({
      ...(change.preset ? presetSettings(change.preset) : settings),
      ...change.overrides,
    }),
    presetSettings(state.preset),
  );
}
