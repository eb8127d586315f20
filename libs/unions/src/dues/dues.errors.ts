import { DomainError, article, type ArticleRef, type ErrorKind } from '@app/core';

interface ErrorSpec {
  readonly article: ArticleRef;
  readonly kind: ErrorKind;
  readonly en: string;
  readonly zh: string;
}

/**
 * Dues have no article of their own in the regulation: the duty to pay is part of membership
 * (Art. 19(3) keeps paying while away, 19(4) arrears, 19(6) exemption), so dues errors name Art. 19.
 */
const DUES_ERRORS = {
  INVALID_PERIOD: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The period must be a month written YYYY-MM',
    zh: '会费所属期间须为 YYYY-MM 格式的月份',
  },
  INVALID_PAYMENT_DATE: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The payment date must be a valid date that is not in the future',
    zh: '交费日期须为有效日期且不得晚于今日',
  },
  PERIOD_IN_FUTURE: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'Dues cannot be recorded for a month that has not begun ({period})',
    zh: '不能为尚未开始的月份（{period}）登记会费',
  },
  PERIOD_BEFORE_JOINING: {
    article: article(19, 2),
    kind: 'RULE_VIOLATION',
    en: 'The period {period} lies before the member joined',
    zh: '会费期间 {period} 早于入会时间',
  },
  DUES_ALREADY_PAID: {
    article: article(19),
    kind: 'CONFLICT',
    en: 'Dues for {period} are already recorded; record a correction instead',
    zh: '{period} 的会费已登记，如需更正请登记更正',
  },
  DUES_NOT_PAID: {
    article: article(19),
    kind: 'CONFLICT',
    en: 'No dues are recorded for {period}, so there is nothing to correct',
    zh: '{period} 未登记会费，无可更正',
  },
  DUES_EXEMPT: {
    article: article(19, 6),
    kind: 'RULE_VIOLATION',
    en: 'The member is exempt from dues for {period} (retained membership or internal early retirement)',
    zh: '该会员 {period} 免交会费（保留会籍或内部退养）',
  },
  DUES_AMOUNT_MISMATCH: {
    article: article(19),
    kind: 'RULE_VIOLATION',
    en: 'The amount {amountFen} fen differs from the dues of {expectedFen} fen due on this wage base',
    zh: '金额 {amountFen} 分与按工资基数应交的 {expectedFen} 分不符',
  },
  INVALID_WAGE_BASE: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The wage base and the amount must be whole, non-negative numbers of fen within range',
    zh: '工资基数和金额须为有效范围内的非负整数（单位：分）',
  },
  INVALID_DUES_RULES: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The dues rate or base step configured for the tenant is invalid',
    zh: '租户配置的会费比例或基数取整单位无效',
  },
  MEMBERSHIP_NOT_APPROVED: {
    article: article(19, 2),
    kind: 'RULE_VIOLATION',
    en: 'The membership has not been approved, so no dues are due',
    zh: '入会尚未批准，无需交纳会费',
  },
  MEMBERSHIP_ENDED: {
    article: article(19, 4),
    kind: 'RULE_VIOLATION',
    en: 'The membership has ended; no dues can be recorded',
    zh: '会员关系已终止，不能登记会费',
  },
  UNKNOWN_MEMBER: {
    article: article(19),
    kind: 'NOT_FOUND',
    en: 'No member with this id in the tenant',
    zh: '本单位无此会员',
  },
  WRONG_UNION_SUBTREE: {
    article: article(19, 3),
    kind: 'RULE_VIOLATION',
    en: 'The member does not belong to the union of this payroll or a union under it',
    zh: '该会员不属于本次代扣的工会或其下属工会',
  },
  DUPLICATE_ROW: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The member appears more than once in this payroll',
    zh: '该会员在本次代扣清单中重复出现',
  },
  NOT_AUTHORISED_FOR_DUES: {
    article: article(19),
    kind: 'FORBIDDEN',
    en: 'Only an officer of this union or a union above it may record its dues',
    zh: '仅本工会或其上级工会的干部可登记本工会会费',
  },
  PAYROLL_TOO_LARGE: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'A payroll import holds at most {maxRows} rows',
    zh: '单次代扣导入最多 {maxRows} 行',
  },
} as const satisfies Record<string, ErrorSpec>;

export type DuesErrorCode = keyof typeof DUES_ERRORS;

export type ErrorDetails = Readonly<Record<string, string | number | boolean | null>>;

/** Fills `{name}` placeholders; details never hold personal data (ids, periods, amounts only). */
export function fillTemplate(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) =>
    key in details ? String(details[key]) : whole,
  );
}

/** The message alone, without building an Error: payroll rejections can number in the thousands. */
export function duesErrorMessage(
  code: DuesErrorCode,
  details: ErrorDetails = {},
): { readonly en: string; readonly zh: string } {
  const spec: ErrorSpec = DUES_ERRORS[code];
  return { en: fillTemplate(spec.en, details), zh: fillTemplate(spec.zh, details) };
}

export function duesError(code: DuesErrorCode, details: ErrorDetails = {}): DomainError {
  const spec: ErrorSpec = DUES_ERRORS[code];
  return new DomainError(
    code,
    { en: fillTemplate(spec.en, details), zh: fillTemplate(spec.zh, details) },
    { article: spec.article, kind: spec.kind, details: { ...details } },
  );
}
