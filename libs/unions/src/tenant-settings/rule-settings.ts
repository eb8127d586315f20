/**
 * The rules that differ between this regulation and the national texts, as data. Deciders never
 * branch on the preset's name: they read the named values below, so a tenant can change one rule
 * without changing the others.
 */
export type RulePreset = 'ENTERPRISE_REGULATION' | 'NATIONAL';
export const RULE_PRESETS: readonly RulePreset[] = ['ENTERPRISE_REGULATION', 'NATIONAL'];
export const DEFAULT_RULE_PRESET: RulePreset = 'ENTERPRISE_REGULATION';

/** Committee size for unions with at least `fromMembers` active members (up to the next band). */
export interface MembershipBand {
  readonly fromMembers: number;
  readonly min: number;
  readonly max: number;
}

export type CommitteeSizeRule =
  | { readonly kind: 'RANGE'; readonly min: number; readonly max: number }
  | { readonly kind: 'BY_MEMBERSHIP'; readonly bands: readonly MembershipBand[] };

/**
 * Who counts as "half" and whether exactly half is enough. AT_LEAST_HALF is 半数以上 (以上 includes
 * the number itself); MORE_THAN_HALF is 过半数.
 */
export interface MajorityRule {
  readonly base: 'VOTERS_PRESENT' | 'EXPECTED_VOTERS';
  readonly comparison: 'AT_LEAST_HALF' | 'MORE_THAN_HALF';
}

export interface Fraction {
  readonly numerator: number;
  readonly denominator: number;
}

export interface RuleSettings {
  /** The preset these values started from (informational; no decider branches on it). */
  readonly preset: RulePreset;
  /** Art. 6: at or above this many active members only a committee is allowed. */
  readonly committeeRequiredAtMembers: number;
  /** Art. 6: units taking part in a joint committee, this union included (两个以上单位). */
  readonly jointCommitteeMinUnits: number;
  /** Art. 8: seats on a committee. */
  readonly committeeSize: CommitteeSizeRule;
  /** Art. 7: allowed term lengths in years. */
  readonly termYearsAllowed: readonly number[];
  /** Art. 7: longest ordinary extension of a term, in months (延期一般不超过半年). */
  readonly termExtensionMaxMonths: number;
  /** Art. 7: longest extension in special cases (特殊情况不得超过1年). */
  readonly termExtensionSpecialMaxMonths: number;
  /** Art. 7: extensions allowed per term. */
  readonly termExtensionsPerTerm: number;
  /** Art. 9: female members at which a women workers' committee is required. */
  readonly womenCommitteeRequiredAtFemaleMembers: number;
  /** An election is valid when at least this share of the expected voters take part. */
  readonly electionQuorum: Fraction;
  /** Art. 13: votes a chair needs. */
  readonly chairMajority: MajorityRule;
  /** Votes any other candidate (committee, by-election, women's committee, group leader) needs. */
  readonly memberMajority: MajorityRule;
  /** Committee elections: candidates must exceed seats by this percentage, rounded up (差额). */
  readonly committeeCandidateSurplusPercent: number;
  /** Art. 16: committee meetings at least every N months; null = no rule. */
  readonly committeeMeetingIntervalMonths: number | null;
  /** Dues (national rule): rate in basis points of the wage base (50 = 0.5%); see DuesRules. */
  readonly duesRateBasisPoints: number;
  /** Dues: the base is floored to a multiple of this many fen (1000 = CNY 10). */
  readonly duesBaseStepFen: number;
  /** Art. 19(4): consecutive unpaid months that make a member a withdrawal candidate. */
  readonly arrearsWithdrawalMonths: number;
}

/** Every setting a tenant may change (the preset is changed by switching presets). */
export type RuleSettingsOverrides = Partial<Omit<RuleSettings, 'preset'>>;

const ENTERPRISE_REGULATION: RuleSettings = {
  preset: 'ENTERPRISE_REGULATION',
  committeeRequiredAtMembers: 25,
  jointCommitteeMinUnits: 2,
  committeeSize: { kind: 'RANGE', min: 3, max: 7 },
  termYearsAllowed: [3, 4, 5],
  termExtensionMaxMonths: 6,
  termExtensionSpecialMaxMonths: 12,
  termExtensionsPerTerm: 1,
  womenCommitteeRequiredAtFemaleMembers: 25,
  electionQuorum: { numerator: 2, denominator: 3 },
  chairMajority: { base: 'VOTERS_PRESENT', comparison: 'AT_LEAST_HALF' },
  memberMajority: { base: 'VOTERS_PRESENT', comparison: 'AT_LEAST_HALF' },
  committeeCandidateSurplusPercent: 0,
  committeeMeetingIntervalMonths: 2,
  duesRateBasisPoints: 50,
  duesBaseStepFen: 1000,
  arrearsWithdrawalMonths: 6,
};

const NATIONAL: RuleSettings = {
  ...ENTERPRISE_REGULATION,
  preset: 'NATIONAL',
  committeeSize: {
    kind: 'BY_MEMBERSHIP',
    bands: [
      { fromMembers: 0, min: 3, max: 3 },
      { fromMembers: 26, min: 3, max: 5 },
      { fromMembers: 101, min: 5, max: 7 },
      { fromMembers: 201, min: 7, max: 9 },
      { fromMembers: 501, min: 9, max: 15 },
      { fromMembers: 1001, min: 15, max: 21 },
      { fromMembers: 5001, min: 21, max: 29 },
      { fromMembers: 10001, min: 29, max: 37 },
      { fromMembers: 50001, min: 37, max: 45 },
    ],
  },
  termYearsAllowed: [3, 5],
  womenCommitteeRequiredAtFemaleMembers: 10,
  chairMajority: { base: 'EXPECTED_VOTERS', comparison: 'MORE_THAN_HALF' },
  memberMajority: { base: 'EXPECTED_VOTERS', comparison: 'MORE_THAN_HALF' },
  committeeCandidateSurplusPercent: 5,
  committeeMeetingIntervalMonths: null,
};

export function presetSettings(preset: RulePreset): RuleSettings {
  switch (preset) {
    case 'ENTERPRISE_REGULATION':
      return ENTERPRISE_REGULATION;
    case 'NATIONAL':
      return NATIONAL;
    default: {
      const _exhaustive: never = preset;
      return _exhaustive;
    }
  }
}

/** The committee seats allowed for a union with this many active members. */
export function committeeSizeRange(
  rule: CommitteeSizeRule,
  activeMembers: number,
): { min: number; max: number } {
  switch (rule.kind) {
    case 'RANGE':
      return { min: rule.min, max: rule.max };
    case 'BY_MEMBERSHIP': {
      const band = [...rule.bands].reverse().find((b) => activeMembers >= b.fromMembers);
      const first = rule.bands[0];
      const chosen = band ?? first;
      return chosen ? { min: chosen.min, max: chosen.max } : { min: 1, max: Infinity };
    }
    default: {
      const _exhaustive: never = rule;
      return _exhaustive;
    }
  }
}

/** Votes needed under a majority rule (integer arithmetic, no floating point). */
export function votesNeeded(
  rule: MajorityRule,
  counts: { votersPresent: number; expectedVoters: number },
): number {
  const base = rule.base === 'VOTERS_PRESENT' ? counts.votersPresent : counts.expectedVoters;
  // AT_LEAST_HALF: 2v >= base; MORE_THAN_HALF: 2v > base.
  return rule.comparison === 'AT_LEAST_HALF' ? Math.ceil(base / 2) : Math.floor(base / 2) + 1;
}

/** Smallest count that is at least `fraction` of `total`: ⌈total × n / d⌉. */
export function atLeastFraction(total: number, fraction: Fraction): number {
  return Math.ceil((total * fraction.numerator) / fraction.denominator);
}

/** Candidates required for `seats` seats with a surplus of `percent`%, rounded up. */
export function candidatesRequired(seats: number, percent: number): number {
  return seats + Math.ceil((seats * percent) / 100);
}
