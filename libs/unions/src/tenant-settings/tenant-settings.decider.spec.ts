import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import { metadata } from '../union/union.fixtures';
import {
  candidatesRequired,
  committeeSizeRange,
  presetSettings,
  votesNeeded,
  type RuleSettingsOverrides,
} from './rule-settings';
import type { ChangeRuleSettings } from './tenant-settings.commands';
import { tenantSettingsDecider } from './tenant-settings.decider';
import type { TenantSettingsEvent } from './tenant-settings.events';
import { settingsInForce } from './tenant-settings.state';

const spec = deciderSpec(tenantSettingsDecider);

const provisioned = (
  preset: 'ENTERPRISE_REGULATION' | 'NATIONAL' = 'ENTERPRISE_REGULATION',
): TenantSettingsEvent => ({
  type: 'TenantSettingsProvisioned',
  data: { tenantId: 'tenant-1', preset, provisionedOn: '2025-01-01' },
});

const changeCommand = (data: Partial<ChangeRuleSettings['data']> = {}): ChangeRuleSettings => ({
  type: 'ChangeRuleSettings',
  metadata,
  data: {
    effectiveOn: '2025-06-01',
    decidedOn: '2025-03-01',
    reason: 'Congress resolution 2025-3',
    overrides: { committeeRequiredAtMembers: 30 },
    ...data,
  },
});

const changed = (
  effectiveOn: string,
  overrides: RuleSettingsOverrides,
  preset?: 'ENTERPRISE_REGULATION' | 'NATIONAL',
): TenantSettingsEvent => ({
  type: 'RuleSettingsChanged',
  data: {
    effectiveOn,
    overrides,
    reason: 'r',
    decidedOn: '2025-01-01',
    ...(preset ? { preset } : {}),
  },
});

describe('tenant settings: provisioning', () => {
  it('defaults to this regulation (ENTERPRISE_REGULATION)', () => {
    spec
      .given([])
      .when({
        type: 'ProvisionTenantSettings',
        metadata,
        data: { tenantId: 'tenant-1', provisionedOn: '2025-01-01' },
      })
      .then([provisioned()]);
  });

  it('can start from the NATIONAL preset', () => {
    spec
      .given([])
      .when({
        type: 'ProvisionTenantSettings',
        metadata,
        data: { tenantId: 'tenant-1', preset: 'NATIONAL', provisionedOn: '2025-01-01' },
      })
      .then([provisioned('NATIONAL')]);
  });

  it('is done once', () => {
    spec
      .given([provisioned()])
      .when({
        type: 'ProvisionTenantSettings',
        metadata,
        data: { tenantId: 'tenant-1', provisionedOn: '2025-01-01' },
      })
      .thenThrows('TENANT_ALREADY_PROVISIONED', 'Art. 34');
  });

  it('rejects an unknown preset', () => {
    const error = spec
      .given([])
      .when({
        type: 'ProvisionTenantSettings',
        metadata,
        // A value from an untyped caller (GraphQL enum mismatch, import file).
        data: { tenantId: 'tenant-1', preset: 'LOCAL' as 'NATIONAL', provisionedOn: '2025-01-01' },
      })
      .thenThrows('UNKNOWN_RULE_PRESET');
    expect(error.kind).toBe('INVALID_INPUT');
    expect(error.localised('zh')).toContain('第三十四条');
  });
});

describe('tenant settings: effective-dated changes', () => {
  it('records a change that takes effect later', () => {
    spec
      .given([provisioned()])
      .when(changeCommand())
      .then([
        {
          type: 'RuleSettingsChanged',
          data: {
            effectiveOn: '2025-06-01',
            overrides: { committeeRequiredAtMembers: 30 },
            reason: 'Congress resolution 2025-3',
            decidedOn: '2025-03-01',
          },
        },
      ]);
  });

  it('may take effect on the day it is decided, never before', () => {
    spec
      .given([provisioned()])
      .when(changeCommand({ effectiveOn: '2025-03-01' }))
      .thenMatches([{ type: 'RuleSettingsChanged', data: { effectiveOn: '2025-03-01' } }]);
    spec
      .given([provisioned()])
      .when(changeCommand({ effectiveOn: '2025-02-28' }))
      .thenThrows('SETTINGS_CHANGE_RETROACTIVE', 'Art. 34');
  });

  it.each<[string, RuleSettingsOverrides]>([
    ['committeeRequiredAtMembers', { committeeRequiredAtMembers: 0 }],
    ['committeeSize', { committeeSize: { kind: 'RANGE', min: 5, max: 3 } }],
    ['termYearsAllowed', { termYearsAllowed: [] }],
    ['electionQuorum', { electionQuorum: { numerator: 4, denominator: 3 } }],
    ['committeeCandidateSurplusPercent', { committeeCandidateSurplusPercent: 2.5 }],
    ['jointCommitteeMinUnits', { jointCommitteeMinUnits: 1 }],
  ])('rejects an invalid value for %s', (setting, overrides) => {
    const error = spec
      .given([provisioned()])
      .when(changeCommand({ overrides }))
      .thenThrows('INVALID_RULE_SETTING');
    expect(error.details).toEqual({ setting });
  });

  it('rejects a setting name it does not know', () => {
    spec
      .given([provisioned()])
      .when(changeCommand({ overrides: { committeeRequired: 30 } as RuleSettingsOverrides }))
      .thenThrows('INVALID_RULE_SETTING');
  });

  it('rejects an ordinary extension limit above the special one', () => {
    spec
      .given([provisioned()])
      .when(changeCommand({ overrides: { termExtensionMaxMonths: 13 } }))
      .thenThrows('INVALID_RULE_SETTING');
  });

  it('needs a reason and a change', () => {
    spec
      .given([provisioned()])
      .when(changeCommand({ reason: ' ' }))
      .thenThrows('SETTINGS_CHANGE_REASON_REQUIRED');
    spec
      .given([provisioned()])
      .when(changeCommand({ overrides: {} }))
      .thenThrows('SETTINGS_CHANGE_EMPTY');
    spec.given([]).when(changeCommand()).thenThrows('TENANT_NOT_PROVISIONED');
  });
});

describe('settingsInForce', () => {
  const state = foldEvents(tenantSettingsDecider, [
    provisioned(),
    changed('2025-06-01', { committeeRequiredAtMembers: 30 }),
    changed('2025-09-01', {}, 'NATIONAL'),
    changed('2025-09-01', { committeeCandidateSurplusPercent: 10 }),
  ]);

  it('judges a date before a change by the settings before it', () => {
    expect(settingsInForce(state, '2025-05-31').committeeRequiredAtMembers).toBe(25);
    expect(settingsInForce(state, '2025-06-01').committeeRequiredAtMembers).toBe(30);
  });

  it('judges dates before provisioning (imported history) by the provisioned preset', () => {
    expect(settingsInForce(state, '2010-01-01')).toEqual(presetSettings('ENTERPRISE_REGULATION'));
  });

  it('switches presets and applies later overrides in recording order', () => {
    const september = settingsInForce(state, '2025-09-01');
    expect(september.preset).toBe('NATIONAL');
    // Switching presets resets earlier overrides to the new preset's values.
    expect(september.committeeRequiredAtMembers).toBe(25);
    expect(september.committeeCandidateSurplusPercent).toBe(10);
    expect(september.chairMajority).toEqual({
      base: 'EXPECTED_VOTERS',
      comparison: 'MORE_THAN_HALF',
    });
  });

  it('keeps the rule values as named settings, not preset checks', () => {
    const enterprise = presetSettings('ENTERPRISE_REGULATION');
    const national = presetSettings('NATIONAL');
    expect(votesNeeded(enterprise.chairMajority, { votersPresent: 20, expectedVoters: 30 })).toBe(
      10,
    );
    expect(votesNeeded(national.chairMajority, { votersPresent: 20, expectedVoters: 30 })).toBe(16);
    expect(votesNeeded(enterprise.chairMajority, { votersPresent: 21, expectedVoters: 30 })).toBe(
      11,
    );
    expect(candidatesRequired(7, 5)).toBe(8);
    expect(candidatesRequired(20, 5)).toBe(21);
    expect(candidatesRequired(21, 5)).toBe(23);
    expect(committeeSizeRange(national.committeeSize, 25)).toEqual({ min: 3, max: 3 });
    expect(committeeSizeRange(national.committeeSize, 26)).toEqual({ min: 3, max: 5 });
    expect(committeeSizeRange(national.committeeSize, 201)).toEqual({ min: 7, max: 9 });
    expect(committeeSizeRange(enterprise.committeeSize, 5000)).toEqual({ min: 3, max: 7 });
  });
});
