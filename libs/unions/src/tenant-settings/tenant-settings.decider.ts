import { assertNever, isIsoDate, streamId, type Decider } from '@app/core';
import {
  DEFAULT_RULE_PRESET,
  RULE_PRESETS,
  type RulePreset,
  type RuleSettingsOverrides,
} from './rule-settings';
import type {
  ChangeRuleSettings,
  ProvisionTenantSettings,
  TenantSettingsCommand,
} from './tenant-settings.commands';
import { tenantSettingsErrors as errors } from './tenant-settings.errors';
import type { TenantSettingsEvent } from './tenant-settings.events';
import { inconsistentSetting, invalidSetting } from './tenant-settings.rules';
import { settingsInForce, type TenantSettingsState } from './tenant-settings.state';

function checkPreset(preset: string): RulePreset {
  const known = RULE_PRESETS.find((p) => p === preset);
  if (!known) throw errors.unknownPreset(preset);
  return known;
}

function checkDate(value: string, field: string): void {
  if (!isIsoDate(value)) throw errors.invalidDate(field);
}

function provision(
  command: ProvisionTenantSettings,
  state: TenantSettingsState,
): TenantSettingsEvent[] {
  if (state.status !== 'UNPROVISIONED') throw errors.alreadyProvisioned();
  const { tenantId, provisionedOn } = command.data;
  checkDate(provisionedOn, 'provisionedOn');
  const preset = checkPreset(command.data.preset ?? DEFAULT_RULE_PRESET);
  const name = command.data.name?.trim();
  return [
    {
      type: 'TenantSettingsProvisioned',
      data: { tenantId, preset, provisionedOn, ...(name ? { name } : {}) },
    },
  ];
}

/** Drops keys given as undefined so that replay never erases a setting by accident. */
function definedOnly(overrides: RuleSettingsOverrides): RuleSettingsOverrides {
  return Object.fromEntries(Object.entries(overrides).filter(([, v]) => v !== undefined));
}

function change(command: ChangeRuleSettings, state: TenantSettingsState): TenantSettingsEvent[] {
  if (state.status !== 'PROVISIONED') throw errors.notProvisioned();
  const { effectiveOn, decidedOn } = command.data;
  checkDate(effectiveOn, 'effectiveOn');
  checkDate(decidedOn, 'decidedOn');
  if (effectiveOn < decidedOn) throw errors.retroactiveChange();
  const reason = command.data.reason.trim();
  if (reason === '') throw errors.reasonRequired();
  const preset = command.data.preset === undefined ? undefined : checkPreset(command.data.preset);
  const overrides = definedOnly(command.data.overrides ?? {});
  if (preset === undefined && Object.keys(overrides).length === 0) throw errors.emptyChange();
  const bad = invalidSetting(overrides);
  if (bad !== null) throw errors.invalidSetting(bad);

  const event: TenantSettingsEvent = {
    type: 'RuleSettingsChanged',
    data: {
      effectiveOn,
      ...(preset === undefined ? {} : { preset }),
      overrides,
      reason,
      decidedOn,
    },
  };
  const after = settingsInForce(evolve(state, event), effectiveOn);
  const inconsistent = inconsistentSetting(after);
  if (inconsistent !== null) throw errors.invalidSetting(inconsistent);
  return [event];
}

function decide(command: TenantSettingsCommand, state: TenantSettingsState): TenantSettingsEvent[] {
  switch (command.type) {
    case 'ProvisionTenantSettings':
      return provision(command, state);
    case 'ChangeRuleSettings':
      return change(command, state);
    default:
      return assertNever(command, 'tenant settings command');
  }
}

function evolve(state: TenantSettingsState, event: TenantSettingsEvent): TenantSettingsState {
  switch (event.type) {
    case 'TenantSettingsProvisioned':
      return {
        status: 'PROVISIONED',
        tenantId: event.data.tenantId,
        preset: event.data.preset,
        provisionedOn: event.data.provisionedOn,
        name: event.data.name ?? null,
        changes: [],
      };
    case 'RuleSettingsChanged': {
      if (state.status !== 'PROVISIONED') return state;
      const { effectiveOn, preset, overrides } = event.data;
      return {
        ...state,
        changes: [
          ...state.changes,
          { effectiveOn, overrides, ...(preset === undefined ? {} : { preset }) },
        ],
      };
    }
    default:
      return assertNever(event, 'tenant settings event');
  }
}

export const tenantSettingsDecider: Decider<
  TenantSettingsState,
  TenantSettingsCommand,
  TenantSettingsEvent
> = {
  decide,
  evolve,
  initialState: () => ({ status: 'UNPROVISIONED' }),
};

export const tenantSettingsStreamId = (tenantId: string): string =>
  streamId('tenant-settings', tenantId);
