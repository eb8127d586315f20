import { addMonthsToDate, article, type ArticleRef, type IsoDate } from '@app/core';
import { committeeSizeRange, type RuleSettings } from '../tenant-settings/rule-settings';
import { isGrassroots } from './union.rules';
import { chairOf, committeeVacancies, hasCommitteeForm, type ActiveUnion } from './union.state';

export type ComplianceRule =
  | 'COMMITTEE_REQUIRED'
  | 'COMMITTEE_SIZE_OUT_OF_RANGE'
  | 'COMMITTEE_VACANCY'
  | 'CHAIR_VACANT'
  | 'TERM_EXPIRED'
  | 'WOMEN_COMMITTEE_REQUIRED'
  | 'WOMEN_WORKERS_MEMBER_REQUIRED'
  | 'COMMITTEE_MEETING_OVERDUE';

export interface ComplianceFinding {
  readonly rule: ComplianceRule;
  readonly article: ArticleRef;
  readonly severity: 'VIOLATION' | 'WARNING';
  readonly messages: { readonly en: string; readonly zh: string };
}

/** Counts from the member roll, resolved by the caller (a projection or a query). */
export interface ComplianceFacts {
  readonly activeMembers: number;
  readonly femaleMembers: number;
}

/**
 * Art. 16: overdue when more than the interval has passed since the last meeting (or, before the
 * first one, since the term began). `date` is the day being judged.
 */
export function committeeMeetingOverdue(
  union: ActiveUnion,
  date: IsoDate,
  settings: RuleSettings,
): boolean {
  const interval = settings.committeeMeetingIntervalMonths;
  const since = union.lastMeetingOn ?? union.term?.start ?? null;
  if (interval === null || since === null || union.committee === null) return false;
  return date > addMonthsToDate(since, interval);
}

const finding = (
  rule: ComplianceRule,
  n: number,
  severity: ComplianceFinding['severity'],
  en: string,
  zh: string,
): ComplianceFinding => ({ rule, article: article(n), severity, messages: { en, zh } });

/**
 * What an active union is missing on `date` under the settings in force then. Pure: the read
 * models call it with the roll's counts; nothing here is a command rejection.
 */
export function complianceFindings(
  union: ActiveUnion,
  facts: ComplianceFacts,
  date: IsoDate,
  settings: RuleSettings,
): ComplianceFinding[] {
  if (union.level === 'GROUP') return [];
  const out: ComplianceFinding[] = [];
  const committee = union.committee;
  const threshold = settings.committeeRequiredAtMembers;
  if (
    isGrassroots(union.level) &&
    facts.activeMembers >= threshold &&
    (union.governance.form !== 'COMMITTEE' || committee === null)
  ) {
    out.push(
      finding(
        'COMMITTEE_REQUIRED',
        6,
        'VIOLATION',
        `A union with ${threshold} or more members must have an elected committee.`,
        `会员人数在 ${threshold} 人以上的基层工会应当建立工会委员会。`,
      ),
    );
  }
  if (committee && hasCommitteeForm(union.governance)) {
    const { min, max } = committeeSizeRange(settings.committeeSize, facts.activeMembers);
    if (committee.seats < min || committee.seats > max) {
      out.push(
        finding(
          'COMMITTEE_SIZE_OUT_OF_RANGE',
          8,
          'VIOLATION',
          `The committee should have ${min} to ${max} seats; it has ${committee.seats}.`,
          `工会委员会应由 ${min} 至 ${max} 名委员组成，现为 ${committee.seats} 名。`,
        ),
      );
    }
    const vacancies = committeeVacancies(committee);
    if (vacancies > 0) {
      out.push(
        finding(
          'COMMITTEE_VACANCY',
          8,
          'WARNING',
          `${vacancies} committee seat(s) vacant: hold a by-election.`,
          `工会委员会缺额 ${vacancies} 名，应及时补选。`,
        ),
      );
    }
    if (chairOf(committee) === null) {
      out.push(
        finding(
          'CHAIR_VACANT',
          8,
          'VIOLATION',
          'The committee has no chair.',
          '工会委员会未设主席。',
        ),
      );
    }
    if (union.term && date >= union.term.end) {
      out.push(
        finding(
          'TERM_EXPIRED',
          7,
          'VIOLATION',
          `The committee’s term ended on ${union.term.end}: hold the general election.`,
          `工会委员会任期已于 ${union.term.end} 届满，应按时换届选举。`,
        ),
      );
    }
    if (committeeMeetingOverdue(union, date, settings)) {
      out.push(
        finding(
          'COMMITTEE_MEETING_OVERDUE',
          16,
          'WARNING',
          `The committee has not met for more than ${settings.committeeMeetingIntervalMonths ?? 0} months.`,
          `工会委员会已超过 ${settings.committeeMeetingIntervalMonths ?? 0} 个月未召开会议。`,
        ),
      );
    }
  }
  const womenThreshold = settings.womenCommitteeRequiredAtFemaleMembers;
  if (facts.femaleMembers >= womenThreshold && union.womenCommittee === null) {
    out.push(
      finding(
        'WOMEN_COMMITTEE_REQUIRED',
        9,
        'VIOLATION',
        `With ${womenThreshold} or more female members a women workers’ committee is required.`,
        `女职工人数在 ${womenThreshold} 人以上的基层工会应成立女职工委员会。`,
      ),
    );
  }
  const hasWomenWorkersMember =
    committee?.members.some((s) => s.roles.includes('WOMEN_WORKERS')) ?? false;
  if (
    facts.femaleMembers > 0 &&
    facts.femaleMembers < womenThreshold &&
    committee &&
    !hasWomenWorkersMember
  ) {
    out.push(
      finding(
        'WOMEN_WORKERS_MEMBER_REQUIRED',
        9,
        'VIOLATION',
        'The committee needs a women workers’ member.',
        '应选举女职工委员一名。',
      ),
    );
  }
  return out;
}
