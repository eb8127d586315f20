import { DomainError, article, type ArticleRef, type ErrorKind } from '@app/core';
import { fillTemplate, type ErrorDetails } from '../dues/dues.errors';

interface ErrorSpec {
  readonly article: ArticleRef;
  readonly kind: ErrorKind;
  readonly en: string;
  readonly zh: string;
}

const ART_19_3 = article(19, 3);

const TRANSFER_ERRORS = {
  TRANSFER_NOT_FOUND: {
    article: ART_19_3,
    kind: 'NOT_FOUND',
    en: 'No such transfer',
    zh: '会员关系接转不存在',
  },
  TRANSFER_ALREADY_EXISTS: {
    article: ART_19_3,
    kind: 'CONFLICT',
    en: 'This transfer already exists',
    zh: '该会员关系接转已存在',
  },
  TRANSFER_DESTINATION_REQUIRED: {
    article: ART_19_3,
    kind: 'INVALID_INPUT',
    en: 'Give either a receiving union or an organisation outside the enterprise, not both',
    zh: '请填写接收工会或企业外单位（二者择一）',
  },
  TRANSFER_TO_SAME_UNION: {
    article: ART_19_3,
    kind: 'RULE_VIOLATION',
    en: 'The member already belongs to the receiving union',
    zh: '该会员已在接收工会',
  },
  TRANSFER_ACROSS_ENTERPRISES: {
    article: ART_19_3,
    kind: 'RULE_VIOLATION',
    en: 'Both unions must belong to this enterprise; use a transfer to outside the enterprise',
    zh: '两个工会须同属本企业；调往企业外请办理企业外部接转',
  },
  INVALID_UNION_PATH: {
    article: ART_19_3,
    kind: 'INVALID_INPUT',
    en: 'The {side} union path must run from the company union down to a grassroots union',
    zh: '{side} 工会的层级路径须从公司工会至基层工会',
  },
  RECEIVING_UNION_NOT_ACTIVE: {
    article: ART_19_3,
    kind: 'RULE_VIOLATION',
    en: 'The receiving union is not active ({status})',
    zh: '接收工会未处于正常状态（{status}）',
  },
  TRANSFER_NOT_RELEASED: {
    article: ART_19_3,
    kind: 'RULE_VIOLATION',
    en: 'The sending side has not released the member yet',
    zh: '转出方尚未办理转出手续',
  },
  TRANSFER_ALREADY_RELEASED: {
    article: ART_19_3,
    kind: 'CONFLICT',
    en: 'The sending side has already released the member',
    zh: '转出方已办理转出手续',
  },
  TRANSFER_CLOSED: {
    article: ART_19_3,
    kind: 'CONFLICT',
    en: 'The transfer is already {status}',
    zh: '该接转已办结（{status}）',
  },
  NOT_TRANSFER_HANDLER: {
    article: ART_19_3,
    kind: 'FORBIDDEN',
    en: 'Only the {side} handling union ({unionId}) or a union above it may do this',
    zh: '仅{side}经办工会（{unionId}）或其上级工会可办理',
  },
  INVALID_TRANSFER_INPUT: {
    article: ART_19_3,
    kind: 'INVALID_INPUT',
    en: 'Invalid value for {field}',
    zh: '{field} 的值无效',
  },
  TRANSFER_DATE_IN_FUTURE: {
    article: ART_19_3,
    kind: 'INVALID_INPUT',
    en: 'The date {field} lies in the future',
    zh: '日期 {field} 晚于今日',
  },
  TRANSFER_DATE_OUT_OF_ORDER: {
    article: ART_19_3,
    kind: 'INVALID_INPUT',
    en: 'The date {field} lies before {reference}',
    zh: '日期 {field} 早于 {reference}',
  },
} as const satisfies Record<string, ErrorSpec>;

export type TransferErrorCode = keyof typeof TRANSFER_ERRORS;

export function transferError(code: TransferErrorCode, details: ErrorDetails = {}): DomainError {
  const spec: ErrorSpec = TRANSFER_ERRORS[code];
  return new DomainError(
    code,
    { en: fillTemplate(spec.en, details), zh: fillTemplate(spec.zh, details) },
    { article: spec.article, kind: spec.kind, details: { ...details } },
  );
}
