import { article } from '@app/core';
import { ruleError } from './union.errors';

const ART_6 = article(6);
const ART_7 = article(7);
const ART_8 = article(8);
const ART_9 = article(9);
const ART_15 = article(15);

/** Committee, roles, term, recall and meetings (Art. 6-10, 13, 15, 16). */
export const committeeErrors = {
  noCommitteeForm: () =>
    ruleError('COMMITTEE_NOT_THE_GOVERNANCE_FORM', ART_6, {
      en: 'This union is not governed by a committee; set the governance form to a committee first.',
      zh: '该工会未采用工会委员会形式，须先确定建立工会委员会。',
    }),
  noCommittee: () =>
    ruleError('NO_COMMITTEE', ART_8, {
      en: 'This union has no elected committee yet.',
      zh: '该工会尚未选举产生工会委员会。',
    }),
  sizeOutOfRange: (seats: number, min: number, max: number) =>
    ruleError(
      'COMMITTEE_SIZE_OUT_OF_RANGE',
      ART_8,
      {
        en: `A union committee has ${min} to ${max} members; ${seats} is outside that range.`,
        zh: `基层工会委员会由 ${min} 至 ${max} 名委员组成，${seats} 名不符合规定。`,
      },
      'RULE_VIOLATION',
      { seats, min, max },
    ),
  termLengthNotAllowed: (years: number, allowed: readonly number[]) =>
    ruleError(
      'TERM_LENGTH_NOT_ALLOWED',
      ART_7,
      {
        en: `A committee term of ${years} years is not allowed; allowed: ${allowed.join(', ')} years.`,
        zh: `工会委员会每届任期 ${years} 年不符合规定；允许：${allowed.join('、')} 年。`,
      },
      'RULE_VIOLATION',
      { years, allowed },
    ),
  notCommitteeMember: () =>
    ruleError('NOT_COMMITTEE_MEMBER', ART_8, {
      en: 'Only members of the committee can hold committee roles or be recalled from it.',
      zh: '只有工会委员会委员才能担任分工或被罢免。',
    }),
  alreadyCommitteeMember: () =>
    ruleError('ALREADY_COMMITTEE_MEMBER', ART_8, {
      en: 'A person elected in a by-election is already on the committee.',
      zh: '补选当选人已是工会委员会委员。',
    }),
  byElectionExceedsVacancies: (elected: number, vacancies: number) =>
    ruleError(
      'BY_ELECTION_EXCEEDS_VACANCIES',
      ART_8,
      {
        en: `A by-election fills vacancies only: ${elected} seats asked, ${vacancies} vacant.`,
        zh: `补选只能补足缺额：拟补选 ${elected} 名，现缺额 ${vacancies} 名。`,
      },
      'RULE_VIOLATION',
      { elected, vacancies },
    ),
  chairMustBeElected: () =>
    ruleError('CHAIR_MUST_BE_ELECTED', article(13), {
      en: 'The chair is elected by the members’ (representatives’) congress; the role cannot be assigned.',
      zh: '工会主席须经会员（代表）大会选举产生，不能通过分工指定。',
    }),
  chairCannotBeViceChair: () =>
    ruleError('CHAIR_CANNOT_BE_VICE_CHAIR', ART_8, {
      en: 'The chair cannot also be a vice chair.',
      zh: '工会主席不能同时担任副主席。',
    }),
  unknownRole: (role: string) =>
    ruleError(
      'UNKNOWN_COMMITTEE_ROLE',
      ART_8,
      { en: `Unknown committee role "${role}".`, zh: `未知的委员分工“${role}”。` },
      'INVALID_INPUT',
      { role },
    ),
  repeatedAssignment: () =>
    ruleError(
      'DUPLICATE_ROLE_ASSIGNMENT',
      ART_8,
      {
        en: 'Each committee member may appear only once in the assignment.',
        zh: '每名委员在分工中只能出现一次。',
      },
      'INVALID_INPUT',
    ),
  roleUnassigned: (missing: readonly string[]) =>
    ruleError(
      'COMMITTEE_ROLE_UNASSIGNED',
      ART_8,
      {
        en: `Every portfolio needs a committee member (one may hold several); unassigned: ${missing.join(', ')}.`,
        zh: `各项分工都须有委员负责（一人可身兼数职）；尚未分工：${missing.join('、')}。`,
      },
      'RULE_VIOLATION',
      { missing },
    ),
  womenWorkersMemberRequired: (femaleMembers: number, threshold: number) =>
    ruleError(
      'WOMEN_WORKERS_MEMBER_REQUIRED',
      ART_9,
      {
        en: `With ${femaleMembers} female members (fewer than ${threshold}) the committee must include a women workers’ member.`,
        zh: `女职工人数为 ${femaleMembers} 人（不足 ${threshold} 人），应选举女职工委员一名。`,
      },
      'RULE_VIOLATION',
      { femaleMembers, threshold },
    ),
  womenWorkersMemberNotFemale: () =>
    ruleError('WOMEN_WORKERS_MEMBER_NOT_FEMALE', ART_9, {
      en: 'The women workers’ member must be a woman on the committee.',
      zh: '女职工委员须由女性委员担任。',
    }),
  groupLeaderOnlyInGroups: () =>
    ruleError('ELECTION_KIND_NOT_FOR_LEVEL', article(10), {
      en: 'Group leaders are elected in union groups only; union groups elect nothing else.',
      zh: '只有工会小组选举小组长，工会小组不进行其他选举。',
    }),
  noTerm: () =>
    ruleError('NO_TERM_TO_EXTEND', ART_7, {
      en: 'The union has no running committee term to extend.',
      zh: '该工会没有可延期的委员会任期。',
    }),
  extensionApprovalRequired: () =>
    ruleError(
      'TERM_EXTENSION_APPROVAL_REQUIRED',
      ART_7,
      {
        en: 'Extending a term needs the approval of the union one level up; give its reference.',
        zh: '任期延期须报上一级工会批准，须提供批准文号。',
      },
      'INVALID_INPUT',
    ),
  invalidExtension: () =>
    ruleError(
      'INVALID_TERM_EXTENSION',
      ART_7,
      {
        en: 'An extension is a whole number of months, at least one.',
        zh: '延期须为一个月以上的整月数。',
      },
      'INVALID_INPUT',
    ),
  extensionTooLong: (months: number, max: number, special: boolean) =>
    ruleError(
      'TERM_EXTENSION_TOO_LONG',
      ART_7,
      {
        en: `An extension of ${months} months is too long: at most ${max} months${special ? ' even in special cases' : ' (longer only in special cases)'}.`,
        zh: `延期 ${months} 个月超过规定：${special ? '特殊情况' : '一般'}不得超过 ${max} 个月。`,
      },
      'RULE_VIOLATION',
      { months, max, special },
    ),
  alreadyExtended: (allowed: number) =>
    ruleError(
      'TERM_ALREADY_EXTENDED',
      ART_7,
      {
        en: `This term has already been extended; ${allowed} extension(s) allowed per term.`,
        zh: `本届任期已经延期，每届最多延期 ${allowed} 次。`,
      },
      'RULE_VIOLATION',
      { allowed },
    ),
  recallNotByElectingBody: () =>
    ruleError('RECALL_NOT_BY_ELECTING_BODY', article(15, 2), {
      en: 'A committee member can be recalled only by the body that elected them.',
      zh: '只有选举产生该委员的会员（代表）大会才有权撤换或罢免。',
    }),
  recallResolutionRequired: () =>
    ruleError(
      'RECALL_RESOLUTION_REQUIRED',
      article(15, 2),
      { en: 'Give the reference of the recall resolution.', zh: '须提供罢免决议的编号。' },
      'INVALID_INPUT',
    ),
  invalidVoteCounts: () =>
    ruleError(
      'INVALID_VOTE_COUNTS',
      ART_15,
      {
        en: 'Vote counts must be whole numbers: votes for ≤ voters present ≤ expected voters.',
        zh: '票数须为整数，且赞成票 ≤ 实到人数 ≤ 应到人数。',
      },
      'INVALID_INPUT',
    ),
  recallQuorumNotReached: (present: number, required: number) =>
    ruleError(
      'RECALL_QUORUM_NOT_REACHED',
      ART_15,
      {
        en: `The recall vote is not valid: ${present} took part, ${required} needed.`,
        zh: `罢免表决无效：实到 ${present} 人，应不少于 ${required} 人。`,
      },
      'RULE_VIOLATION',
      { present, required },
    ),
  recallMajorityNotReached: (votes: number, required: number) =>
    ruleError(
      'RECALL_MAJORITY_NOT_REACHED',
      article(15, 1),
      {
        en: `The recall did not pass: ${votes} votes for, ${required} needed.`,
        zh: `罢免未获通过：赞成 ${votes} 票，须 ${required} 票。`,
      },
      'RULE_VIOLATION',
      { votes, required },
    ),
  meetingInFuture: () =>
    ruleError(
      'MEETING_DATE_IN_FUTURE',
      article(16),
      {
        en: 'A committee meeting can be recorded only once it has been held.',
        zh: '委员会会议须在召开后记录。',
      },
      'INVALID_INPUT',
    ),
};
