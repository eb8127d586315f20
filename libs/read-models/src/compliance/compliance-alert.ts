import { article, type IsoDate } from '@app/core';
import type { ComplianceRule } from '@app/unions';

/** The alert codes of issue 6 (stable, English); the API's `rule`. */
export type AlertRule =
  | 'COMMITTEE_REQUIRED'
  | 'COMMITTEE_SIZE_OUT_OF_RANGE'
  | 'COMMITTEE_VACANCY'
  | 'NO_CHAIR'
  | 'WOMEN_COMMITTEE_REQUIRED'
  | 'NO_FEMALE_COMMITTEE_MEMBER'
  | 'TERM_EXPIRED'
  | 'TERM_EXPIRING'
  | 'COMMITTEE_MEETING_OVERDUE'
  | 'ARREARS_WITHDRAWAL_CANDIDATE'
  | 'TRANSFER_STALLED';

/** Findings of the shared pure rules, under the alert codes the read model publishes. */
export const FINDING_ALERT: Readonly<Record<ComplianceRule, AlertRule>> = {
  COMMITTEE_REQUIRED: 'COMMITTEE_REQUIRED',
  COMMITTEE_SIZE_OUT_OF_RANGE: 'COMMITTEE_SIZE_OUT_OF_RANGE',
  COMMITTEE_VACANCY: 'COMMITTEE_VACANCY',
  CHAIR_VACANT: 'NO_CHAIR',
  TERM_EXPIRED: 'TERM_EXPIRED',
  WOMEN_COMMITTEE_REQUIRED: 'WOMEN_COMMITTEE_REQUIRED',
  WOMEN_WORKERS_MEMBER_REQUIRED: 'NO_FEMALE_COMMITTEE_MEMBER',
  COMMITTEE_MEETING_OVERDUE: 'COMMITTEE_MEETING_OVERDUE',
};

export type FactValue = string | number | boolean | null | readonly string[];

export interface ComplianceAlert {
  readonly unionId: string;
  readonly unionName: string;
  readonly rule: AlertRule;
  /** "Art. 19(4)" / "第十九条第（四）项" */
  readonly article: { readonly en: string; readonly zh: string };
  readonly severity: 'VIOLATION' | 'WARNING';
  readonly message: { readonly en: string; readonly zh: string };
  /** The stored facts the alert was judged on (counts, dates, ids), for drill-down. */
  readonly facts: Readonly<Record<string, FactValue>>;
}

/** Days before the end of a term from which TERM_EXPIRING is raised (Art. 7). */
export const TERM_EXPIRING_DAYS = 90;
/** A transfer open longer than this many days is stalled. */
export const TRANSFER_STALLED_DAYS = 30;

const DAY_MS = 86_400_000;
const utc = (date: IsoDate) => Date.parse(`${date}T00:00:00Z`);

/** Calendar days from a to b (b - a). */
export const daysBetween = (a: IsoDate, b: IsoDate): number =>
  Math.round((utc(b) - utc(a)) / DAY_MS);

export const addDays = (date: IsoDate, days: number): IsoDate =>
  new Date(utc(date) + days * DAY_MS).toISOString().slice(0, 10);

const ref = (n: number, item?: number) => {
  const a = article(n, item);
  return { en: a.en, zh: a.zh };
};

export function termExpiringAlert(
  union: { unionId: string; unionName: string },
  termEnd: IsoDate,
  daysLeft: number,
): ComplianceAlert {
  return {
    ...union,
    rule: 'TERM_EXPIRING',
    article: ref(7),
    severity: 'WARNING',
    message: {
      en: `The committee’s term ends on ${termEnd} (in ${daysLeft} days): prepare the general election.`,
      zh: `工会委员会任期将于 ${termEnd} 届满（还有 ${daysLeft} 天），应做好换届选举准备。`,
    },
    facts: { termEnd, daysLeft },
  };
}

export function arrearsAlert(
  union: { unionId: string; unionName: string },
  memberIds: readonly string[],
  educated: number,
  minMonths: number,
  throughPeriod: string,
): ComplianceAlert {
  const n = memberIds.length;
  return {
    ...union,
    rule: 'ARREARS_WITHDRAWAL_CANDIDATE',
    article: ref(19, 4),
    severity: 'WARNING',
    message: {
      en:
        `${n} member(s) have paid no dues for ${minMonths} or more consecutive months (through ` +
        `${throughPeriod}): educate them; only a member who still refuses may be deemed withdrawn.`,
      zh:
        `${n} 名会员连续 ${minMonths} 个月以上未交纳会费（截至 ${throughPeriod}），应进行教育；` +
        `经教育仍拒不交纳的，方可按自动退会处理。`,
    },
    facts: { candidates: n, educated, memberIds, minMonths, throughPeriod },
  };
}

export interface StalledTransfer {
  readonly transferId: string;
  readonly memberId: string;
  readonly status: 'REQUESTED' | 'RELEASED';
  readonly requestedOn: IsoDate;
  readonly fromUnionId: string;
  readonly toUnionId: string | null;
}

/** Raised at the union that has to act next: the sending side, then the receiving side. */
export function transferStalledAlert(
  union: { unionId: string; unionName: string },
  transfer: StalledTransfer,
  today: IsoDate,
): ComplianceAlert {
  const days = daysBetween(transfer.requestedOn, today);
  const releasing = transfer.status === 'REQUESTED';
  return {
    ...union,
    rule: 'TRANSFER_STALLED',
    article: ref(19, 3),
    severity: 'WARNING',
    message: {
      en:
        `The transfer of member ${transfer.memberId} requested on ${transfer.requestedOn} has ` +
        `been open for ${days} days: ${releasing ? 'release' : 'register'} the member or reject it.`,
      zh:
        `会员 ${transfer.memberId} 的会籍转接自 ${transfer.requestedOn} 申请，已 ${days} 天未办结，` +
        `请及时办理${releasing ? '转出' : '转入'}或退回。`,
    },
    facts: { ...transfer, daysOpen: days },
  };
}
