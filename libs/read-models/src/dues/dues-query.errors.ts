import { DomainError, article, type ErrorKind } from '@app/core';

const ERRORS = {
  INVALID_PERIOD: {
    kind: 'INVALID_INPUT',
    en: 'The period must be a month written YYYY-MM ({field})',
    zh: '期间须为 YYYY-MM 格式的月份（{field}）',
  },
  INVALID_PERIOD_RANGE: {
    kind: 'INVALID_INPUT',
    en: 'The report runs from {from} to {to}: the start must not follow the end, at most {max} months',
    zh: '报表期间 {from} 至 {to} 无效：起始月份不得晚于结束月份，且不超过 {max} 个月',
  },
  INVALID_MIN_MONTHS: {
    kind: 'INVALID_INPUT',
    en: 'The number of unpaid months must be a whole number from 1 to {max}',
    zh: '欠缴月数须为 1 至 {max} 之间的整数',
  },
  INVALID_PAGE_SIZE: {
    kind: 'INVALID_INPUT',
    en: 'The page size must be a whole number of members, 0 or more (at most {max} are returned)',
    zh: '每页人数须为不小于 0 的整数（每页最多返回 {max} 人）',
  },
  INVALID_CURSOR: {
    kind: 'INVALID_INPUT',
    en: 'The page cursor is not one this list issued',
    zh: '分页游标无效',
  },
  UNION_NOT_FOUND: {
    kind: 'NOT_FOUND',
    en: 'No union {unionId} in this organisation',
    zh: '本单位不存在工会组织 {unionId}',
  },
} as const satisfies Record<string, { kind: ErrorKind; en: string; zh: string }>;

export type DuesQueryErrorCode = keyof typeof ERRORS;

const fill = (text: string, details: Record<string, unknown>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = details[key];
    return typeof value === 'string' || typeof value === 'number' ? String(value) : '';
  });

/** A dues query that cannot be answered as asked (the duty to pay dues is Art. 19). */
export class DuesQueryError extends DomainError {
  declare readonly code: DuesQueryErrorCode;

  constructor(code: DuesQueryErrorCode, details: Record<string, unknown> = {}) {
    const spec = ERRORS[code];
    super(
      code,
      { en: fill(spec.en, details), zh: fill(spec.zh, details) },
      { article: article(19), kind: spec.kind, details },
    );
    this.name = 'DuesQueryError';
  }
}
