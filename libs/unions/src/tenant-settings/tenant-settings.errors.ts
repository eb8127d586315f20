import { article, DomainError, type ErrorKind } from '@app/core';

/** National rules apply where they differ from this regulation (Art. 34); settings choose them. */
const ART_34 = article(34);

function settingsError(
  code: string,
  en: string,
  zh: string,
  kind: ErrorKind,
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError(code, { en, zh }, { article: ART_34, kind, details });
}

export const tenantSettingsErrors = {
  alreadyProvisioned: () =>
    settingsError(
      'TENANT_ALREADY_PROVISIONED',
      'The rule settings of this enterprise have already been set up.',
      '本企业的规则设置已经建立，不能重复建立。',
      'CONFLICT',
    ),
  notProvisioned: () =>
    settingsError(
      'TENANT_NOT_PROVISIONED',
      'The rule settings of this enterprise have not been set up yet.',
      '本企业的规则设置尚未建立。',
      'NOT_FOUND',
    ),
  unknownPreset: (preset: string) =>
    settingsError(
      'UNKNOWN_RULE_PRESET',
      'The rule preset must be ENTERPRISE_REGULATION or NATIONAL.',
      '规则预设只能是 ENTERPRISE_REGULATION（本细则）或 NATIONAL（国家规定）。',
      'INVALID_INPUT',
      { preset },
    ),
  invalidSetting: (setting: string) =>
    settingsError(
      'INVALID_RULE_SETTING',
      `The value given for the rule setting "${setting}" is not valid.`,
      `规则设置“${setting}”的取值无效。`,
      'INVALID_INPUT',
      { setting },
    ),
  invalidDate: (field: string) =>
    settingsError(
      'INVALID_DATE',
      `The date "${field}" must be a valid date (YYYY-MM-DD).`,
      `日期“${field}”必须是有效日期（YYYY-MM-DD）。`,
      'INVALID_INPUT',
      { field },
    ),
  retroactiveChange: () =>
    settingsError(
      'SETTINGS_CHANGE_RETROACTIVE',
      'A rule change cannot take effect before the day it is decided; past decisions keep the rules they were judged by.',
      '规则变更的生效日期不能早于决定日期；已作出的决定仍按当时有效的规则认定。',
      'RULE_VIOLATION',
    ),
  reasonRequired: () =>
    settingsError(
      'SETTINGS_CHANGE_REASON_REQUIRED',
      'A rule change must state its reason or basis.',
      '规则变更须说明理由或依据。',
      'INVALID_INPUT',
    ),
  emptyChange: () =>
    settingsError(
      'SETTINGS_CHANGE_EMPTY',
      'The rule change changes nothing.',
      '该规则变更没有修改任何设置。',
      'INVALID_INPUT',
    ),
};
