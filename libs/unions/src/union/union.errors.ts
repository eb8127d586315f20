import { article, DomainError, type ArticleRef, type ErrorKind } from '@app/core';

/** Builds a rule error. Messages name rules and counts, never people or personal data. */
export function ruleError(
  code: string,
  ref: ArticleRef,
  messages: { en: string; zh: string },
  kind: ErrorKind = 'RULE_VIOLATION',
  details: Record<string, unknown> = {},
): DomainError {
  return new DomainError(code, messages, { article: ref, kind, details });
}

const ART_2 = article(2);
const ART_5 = article(5);
const ART_6 = article(6);
const ART_11 = article(11);

/** Establishment, hierarchy, governance form and dissolution (Art. 2, 5, 6, 11). */
export const unionErrors = {
  invalidDate: (field: string) =>
    ruleError(
      'INVALID_DATE',
      ART_5,
      {
        en: `The date "${field}" must be a valid date (YYYY-MM-DD).`,
        zh: `日期“${field}”必须是有效日期（YYYY-MM-DD）。`,
      },
      'INVALID_INPUT',
      { field },
    ),
  dateOutOfOrder: (field: string, notBefore: string) =>
    ruleError(
      'DATE_OUT_OF_ORDER',
      ART_5,
      {
        en: `The date "${field}" cannot be earlier than ${notBefore}.`,
        zh: `日期“${field}”不能早于 ${notBefore}。`,
      },
      'INVALID_INPUT',
      { field, notBefore },
    ),
  alreadyExists: () =>
    ruleError(
      'UNION_ALREADY_EXISTS',
      ART_5,
      { en: 'This union already exists.', zh: '该工会组织已经存在。' },
      'CONFLICT',
    ),
  notFound: () =>
    ruleError(
      'UNION_NOT_FOUND',
      ART_5,
      { en: 'The union does not exist.', zh: '该工会组织不存在。' },
      'NOT_FOUND',
    ),
  companyUnionExists: () =>
    ruleError(
      'COMPANY_UNION_ALREADY_EXISTS',
      ART_2,
      {
        en: 'This enterprise already has its company union; there is only one.',
        zh: '本企业已有公司工会，公司工会只能有一个。',
      },
      'CONFLICT',
    ),
  companyOnlyAtProvisioning: () =>
    ruleError('COMPANY_UNION_ONLY_AT_PROVISIONING', ART_2, {
      en: 'The company union is created with the enterprise; other unions are established under it.',
      zh: '公司工会在企业开通时建立；其他工会须在其下设立。',
    }),
  parentNotFound: () =>
    ruleError(
      'PARENT_UNION_NOT_FOUND',
      ART_5,
      { en: 'The parent union does not exist.', zh: '上一级工会不存在。' },
      'NOT_FOUND',
    ),
  parentNotActive: () =>
    ruleError('PARENT_UNION_NOT_ACTIVE', ART_5, {
      en: 'The parent union is not active, so it cannot approve a new union.',
      zh: '上一级工会不在正常存续状态，不能批准建立工会。',
    }),
  invalidParentLevel: (level: string, parentLevel: string, allowed: readonly string[]) =>
    ruleError(
      'INVALID_PARENT_LEVEL',
      ART_5,
      {
        en: `A ${level} union cannot sit under a ${parentLevel} union; allowed parents: ${allowed.join(', ') || 'none'}.`,
        zh: `${level} 级工会不能设在 ${parentLevel} 级工会之下；允许的上级：${allowed.join('、') || '无'}。`,
      },
      'RULE_VIOLATION',
      { level, parentLevel, allowed },
    ),
  notParentOfficer: () =>
    ruleError(
      'NOT_PARENT_UNION_OFFICER',
      ART_5,
      {
        en: 'Establishing a union needs the approval of an officer of the union one level up.',
        zh: '建立基层工会须报上一级工会批准，须由上一级工会的工作人员办理。',
      },
      'FORBIDDEN',
    ),
  nameRequired: () =>
    ruleError(
      'UNION_NAME_REQUIRED',
      ART_5,
      { en: 'The union needs a name.', zh: '工会名称不能为空。' },
      'INVALID_INPUT',
    ),
  nameTaken: () =>
    ruleError(
      'UNION_NAME_TAKEN',
      ART_5,
      {
        en: 'Another union under the same parent already has this name.',
        zh: '同一上级工会下已有同名工会。',
      },
      'CONFLICT',
    ),
  notPending: () =>
    ruleError(
      'UNION_NOT_PENDING_APPROVAL',
      ART_5,
      {
        en: 'Only a union waiting for approval can be approved or rejected.',
        zh: '只有待批准的工会才能批准或驳回。',
      },
      'CONFLICT',
    ),
  reasonRequired: () =>
    ruleError(
      'REJECTION_REASON_REQUIRED',
      ART_5,
      { en: 'A rejection must give its reason.', zh: '驳回须说明理由。' },
      'INVALID_INPUT',
    ),
  notActive: () =>
    ruleError('UNION_NOT_ACTIVE', ART_5, {
      en: 'The union is not active: a union waiting for approval or dissolved cannot do this.',
      zh: '该工会不在正常存续状态：待批准或已撤销的工会不能办理此事项。',
    }),
  groupHasNoCommittee: () =>
    ruleError('GROUP_HAS_NO_COMMITTEE', article(10), {
      en: 'A union group elects a group leader; it has no committee.',
      zh: '工会小组民主选举小组长，不设工会委员会。',
    }),
  formNotAllowed: (form: string) =>
    ruleError(
      'GOVERNANCE_FORM_NOT_ALLOWED',
      ART_6,
      {
        en: `The governance form ${form} is not available for this union; only grassroots unions may choose a joint committee or an organiser.`,
        zh: `该工会不能采用 ${form} 组织形式；只有基层工会可以联合建立委员会或选举组织员。`,
      },
      'RULE_VIOLATION',
      { form },
    ),
  committeeRequired: (members: number, threshold: number) =>
    ruleError(
      'COMMITTEE_REQUIRED',
      ART_6,
      {
        en: `A union with ${members} members (${threshold} or more) must have its own union committee.`,
        zh: `会员人数为 ${members} 人（${threshold} 人以上）的基层工会应当建立工会委员会。`,
      },
      'RULE_VIOLATION',
      { members, threshold },
    ),
  jointTooFewUnits: (units: number, minimum: number) =>
    ruleError(
      'JOINT_COMMITTEE_TOO_FEW_UNITS',
      ART_6,
      {
        en: `A joint committee needs members of at least ${minimum} units; ${units} given.`,
        zh: `联合建立基层工会委员会须由 ${minimum} 个以上单位的会员组成，现为 ${units} 个。`,
      },
      'RULE_VIOLATION',
      { units, minimum },
    ),
  jointUnitInvalid: (
    unionId: string,
    problem: 'NOT_FOUND' | 'NOT_ACTIVE' | 'NOT_GRASSROOTS' | 'REPEATED',
  ) =>
    ruleError(
      'JOINT_UNIT_INVALID',
      ART_6,
      {
        en: `Each unit in a joint committee must be another active grassroots union, listed once (problem: ${problem}).`,
        zh: `联合建会的每个单位都须是另一个正常存续的基层工会，且不得重复（问题：${problem}）。`,
      },
      problem === 'NOT_FOUND' ? 'NOT_FOUND' : 'RULE_VIOLATION',
      { unionId, problem },
    ),
  organizerNotActiveMember: () =>
    ruleError('ORGANIZER_NOT_ACTIVE_MEMBER', ART_6, {
      en: 'The organiser must be an active member of this union.',
      zh: '组织员须为本工会的在册会员。',
    }),
  rootCannotBeDissolved: () =>
    ruleError('ROOT_UNION_CANNOT_BE_DISSOLVED', ART_11, {
      en: 'The company union is the root of the enterprise and cannot be dissolved here.',
      zh: '公司工会是本企业工会组织的根，不能在此撤销。',
    }),
  dissolutionReasonNotAllowed: () =>
    ruleError('DISSOLUTION_REASON_NOT_ALLOWED', ART_11, {
      en: 'A union is dissolved only when its administrative unit is terminated or revoked; no one may dissolve or merge a union for another reason.',
      zh: '只有工会所在的行政单位终止或被撤销时，工会组织才相应撤销；任何组织和个人不得随意撤销、合并工会组织。',
    }),
  adminDecisionRequired: () =>
    ruleError(
      'DISSOLUTION_REQUIRES_ADMIN_DECISION',
      ART_11,
      {
        en: 'Give the reference of the administrative decision that terminated or revoked the unit.',
        zh: '须提供行政单位终止或撤销的决定文号。',
      },
      'INVALID_INPUT',
    ),
  hasActiveMembers: (members: number) =>
    ruleError(
      'UNION_HAS_ACTIVE_MEMBERS',
      ART_11,
      {
        en: `The union still has ${members} active members; transfer them (or retain their membership at the parent) first.`,
        zh: `该工会仍有 ${members} 名在册会员，须先办理会员关系接转（或在上级工会保留会籍）。`,
      },
      'RULE_VIOLATION',
      { members },
    ),
  hasActiveChildren: (children: number) =>
    ruleError(
      'UNION_HAS_ACTIVE_CHILD_UNIONS',
      ART_11,
      {
        en: `The union still has ${children} active subordinate unions; transfer or dissolve them first.`,
        zh: `该工会下仍有 ${children} 个正常存续的下级工会，须先划转或撤销。`,
      },
      'RULE_VIOLATION',
      { children },
    ),
  alreadyDissolved: () =>
    ruleError(
      'UNION_ALREADY_DISSOLVED',
      ART_11,
      { en: 'The union has already been dissolved.', zh: '该工会已经撤销。' },
      'CONFLICT',
    ),
};
