import type {
  CommitteeSizeRule,
  Fraction,
  MajorityRule,
  RuleSettings,
  RuleSettingsOverrides,
} from './rule-settings';

const isCount = (v: unknown, min = 0): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min;

const isMajority = (v: MajorityRule): boolean =>
  (v.base === 'VOTERS_PRESENT' || v.base === 'EXPECTED_VOTERS') &&
  (v.comparison === 'AT_LEAST_HALF' || v.comparison === 'MORE_THAN_HALF');

const isFraction = (v: Fraction): boolean =>
  isCount(v.numerator, 1) && isCount(v.denominator, 1) && v.numerator <= v.denominator;

function isCommitteeSize(rule: CommitteeSizeRule): boolean {
  switch (rule.kind) {
    case 'RANGE':
      return isCount(rule.min, 1) && isCount(rule.max, 1) && rule.min <= rule.max;
    case 'BY_MEMBERSHIP':
      return (
        rule.bands.length > 0 &&
        rule.bands[0]?.fromMembers === 0 &&
        rule.bands.every(
          (b, i) =>
            isCount(b.fromMembers) &&
            isCount(b.min, 1) &&
            isCount(b.max, 1) &&
            b.min <= b.max &&
            (i === 0 || b.fromMembers > (rule.bands[i - 1]?.fromMembers ?? 0)),
        )
      );
    default: {
      const _exhaustive: never = rule;
      return _exhaustive;
    }
  }
}

type Checks = { [K in keyof Required<RuleSettingsOverrides>]: (v: RuleSettings[K]) => boolean };

const CHECKS: Checks = {
  committeeRequiredAtMembers: (v) => isCount(v, 1),
  jointCommitteeMinUnits: (v) => isCount(v, 2),
  committeeSize: isCommitteeSize,
  termYearsAllowed: (v) => v.length > 0 && v.every((y) => isCount(y, 1)),
  termExtensionMaxMonths: (v) => isCount(v),
  termExtensionSpecialMaxMonths: (v) => isCount(v),
  termExtensionsPerTerm: (v) => isCount(v),
  womenCommitteeRequiredAtFemaleMembers: (v) => isCount(v, 1),
  electionQuorum: isFraction,
  chairMajority: isMajority,
  memberMajority: isMajority,
  committeeCandidateSurplusPercent: (v) => isCount(v) && v <= 100,
  committeeMeetingIntervalMonths: (v) => v === null || isCount(v, 1),
  duesRateBasisPoints: (v) => isCount(v) && v <= 10_000,
  duesBaseStepFen: (v) => isCount(v, 1),
  arrearsWithdrawalMonths: (v) => isCount(v, 1),
};

const isSettingName = (key: string): key is keyof Checks => Object.hasOwn(CHECKS, key);

/**
 * The name of the first invalid setting in `overrides`, or null. Unknown names are invalid too, so
 * a typo never silently changes nothing.
 */
export function invalidSetting(overrides: RuleSettingsOverrides): string | null {
  for (const [key, value] of Object.entries(overrides)) {
    if (!isSettingName(key) || value === undefined) return key;
    const check = CHECKS[key] as (v: unknown) => boolean;
    if (!check(value)) return key;
  }
  return null;
}

/** Cross-setting consistency once overrides are applied. */
export function inconsistentSetting(settings: RuleSettings): string | null {
  if (settings.termExtensionSpecialMaxMonths < settings.termExtensionMaxMonths)
    return 'termExtensionSpecialMaxMonths';
  return null;
}
