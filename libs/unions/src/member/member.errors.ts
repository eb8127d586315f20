import { DomainError, article, type ArticleRef, type ErrorKind } from '@app/core';
import { fillTemplate, type ErrorDetails } from '../dues/dues.errors';

interface ErrorSpec {
  readonly article: ArticleRef;
  readonly kind: ErrorKind;
  readonly en: string;
  readonly zh: string;
}

/** Codes are stable English; messages never carry personal data (names, ids, phone numbers). */
const MEMBER_ERRORS = {
  MEMBER_NOT_FOUND: {
    article: article(19),
    kind: 'NOT_FOUND',
    en: 'No such member',
    zh: '会员不存在',
  },
  MEMBER_ALREADY_EXISTS: {
    article: article(19, 2),
    kind: 'CONFLICT',
    en: 'This member record already exists',
    zh: '该会员记录已存在',
  },
  MEMBERSHIP_NOT_PENDING: {
    article: article(19, 2),
    kind: 'CONFLICT',
    en: 'There is no pending application to decide (status {status})',
    zh: '没有待审批的入会申请（当前状态 {status}）',
  },
  MEMBERSHIP_NOT_APPROVED: {
    article: article(19, 2),
    kind: 'RULE_VIOLATION',
    en: 'The application has not been approved yet; {action} needs a member',
    zh: '入会申请尚未批准，{action} 仅适用于会员',
  },
  MEMBERSHIP_ENDED: {
    article: article(19),
    kind: 'RULE_VIOLATION',
    en: 'The membership has ended ({status}); {action} is not possible',
    zh: '会员关系已终止（{status}），不能办理 {action}',
  },
  MEMBERSHIP_RETAINED: {
    article: article(19, 6),
    kind: 'RULE_VIOLATION',
    en: 'The membership is retained (no dues, no vote); {action} is not possible',
    zh: '该会员为保留会籍（免交会费、无表决权），不能办理 {action}',
  },
  NOT_A_GRASSROOTS_UNION: {
    article: article(19, 2),
    kind: 'RULE_VIOLATION',
    en: 'Members join a grassroots union (brigade or team), not a {level} union',
    zh: '会员须加入基层工会（矿/大队或基层小队工会），不能加入 {level} 级工会',
  },
  UNION_NOT_FOUND: {
    article: article(19, 2),
    kind: 'NOT_FOUND',
    en: 'No such union',
    zh: '工会组织不存在',
  },
  UNION_NOT_ACTIVE: {
    article: article(19, 2),
    kind: 'RULE_VIOLATION',
    en: 'The union is not active ({status})',
    zh: '该工会未处于正常状态（{status}）',
  },
  EMPLOYEE_NUMBER_IN_USE: {
    article: article(19, 1),
    kind: 'CONFLICT',
    en: 'The employee number already belongs to a current membership in this enterprise',
    zh: '该职工编号已有有效的会员关系',
  },
  CARD_NUMBER_IN_USE: {
    article: article(19, 2),
    kind: 'CONFLICT',
    en: 'The membership card number is already issued in this enterprise',
    zh: '该会员证号已被使用',
  },
  INVALID_MEMBER_INPUT: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'Invalid value for {field}',
    zh: '{field} 的值无效',
  },
  DATE_IN_FUTURE: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The date {field} lies in the future',
    zh: '日期 {field} 晚于今日',
  },
  DATE_OUT_OF_ORDER: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The date {field} lies before {reference}',
    zh: '日期 {field} 早于 {reference}',
  },
  NOT_AUTHORISED_FOR_UNION: {
    article: article(19, 2),
    kind: 'FORBIDDEN',
    en: "Only the committee of the member's union (or a union above it) may do this",
    zh: '仅会员所在工会（或其上级工会）委员会可办理',
  },
  INVALID_IMPORT_STATUS: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'Only ACTIVE or RETAINED members can be imported, not {status}',
    zh: '只能导入在册（ACTIVE）或保留会籍（RETAINED）的会员，不能导入 {status}',
  },
  MISSING_FIELD: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'The field {field} is missing',
    zh: '缺少字段 {field}',
  },
  UNKNOWN_GENDER: {
    article: article(19),
    kind: 'INVALID_INPUT',
    en: 'Unknown gender (FEMALE or MALE, 女 or 男)',
    zh: '性别无法识别（应为 女 或 男）',
  },
  DUPLICATE_IN_FILE: {
    article: article(19, 2),
    kind: 'CONFLICT',
    en: 'The {field} appears on an earlier row of the same import',
    zh: '{field} 与本次导入中前面的行重复',
  },
  ALREADY_IMPORTED: {
    article: article(19, 2),
    kind: 'CONFLICT',
    en: 'This member was already imported (same employee number and joining date)',
    zh: '该会员已导入（职工编号和入会时间相同）',
  },
  TRANSFER_IN_PROGRESS: {
    article: article(19, 3),
    kind: 'CONFLICT',
    en: 'A transfer of this member is open; complete or reject it first',
    zh: '该会员有未办结的会员关系接转，请先办结或驳回',
  },
  TRANSFER_NOT_OPEN: {
    article: article(19, 3),
    kind: 'CONFLICT',
    en: 'This transfer is not the open transfer of the member',
    zh: '该接转不是该会员当前未办结的接转',
  },
  NOT_AN_ARREARS_CANDIDATE: {
    article: article(19, 4),
    kind: 'RULE_VIOLATION',
    en: '{unpaidMonths} consecutive unpaid months; {requiredMonths} are needed before arrears education',
    zh: '连续未交会费 {unpaidMonths} 个月，需满 {requiredMonths} 个月方可进行欠费教育',
  },
  ARREARS_EDUCATION_REQUIRED: {
    article: article(19, 4),
    kind: 'RULE_VIOLATION',
    en: 'A member is deemed withdrawn only after education about the arrears has been recorded',
    zh: '须先登记对欠费会员的教育，方可视为自动退会',
  },
  ARREARS_NO_LONGER_STAND: {
    article: article(19, 4),
    kind: 'RULE_VIOLATION',
    en: 'The arrears no longer stand on the decision date: dues were paid after the education, or fewer than {requiredMonths} consecutive months are unpaid ({unpaidMonths})',
    zh: '决定日欠费情形已不成立：教育后已交纳会费，或连续未交会费不足 {requiredMonths} 个月（现为 {unpaidMonths} 个月）',
  },
  CRIMINAL_SANCTION_REQUIRED: {
    article: article(19, 5),
    kind: 'RULE_VIOLATION',
    en: 'Expulsion requires a criminal sanction for a serious offence; give its reference',
    zh: '开除会籍须以严重违法犯罪并受到刑事处分为前提，请填写刑事处分文书编号',
  },
  COMMITTEE_DECISION_REQUIRED: {
    article: article(19, 5),
    kind: 'RULE_VIOLATION',
    en: 'Expulsion requires a collective decision of the committee; give its reference',
    zh: '开除会籍须经工会委员会集体讨论决定，请填写决定文号',
  },
  ALREADY_IN_INTERNAL_RETIREMENT: {
    article: article(19, 6),
    kind: 'CONFLICT',
    en: 'The member is already in internal early retirement',
    zh: '该会员已处于内部退养期间',
  },
} as const satisfies Record<string, ErrorSpec>;

export type MemberErrorCode = keyof typeof MEMBER_ERRORS;

/** `articleRef` narrows the article where one code serves several items (e.g. authority). */
export function memberError(
  code: MemberErrorCode,
  details: ErrorDetails = {},
  articleRef?: ArticleRef,
): DomainError {
  const spec: ErrorSpec = MEMBER_ERRORS[code];
  return new DomainError(
    code,
    { en: fillTemplate(spec.en, details), zh: fillTemplate(spec.zh, details) },
    { article: articleRef ?? spec.article, kind: spec.kind, details: { ...details } },
  );
}
