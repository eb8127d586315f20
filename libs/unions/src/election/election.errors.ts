import { article } from '@app/core';
import { ruleError } from '../union/union.errors';

const ART_8 = article(8);
const ART_9 = article(9);
const ART_15 = article(15);
const ART_29 = article(29);

/** Calling, counting and approving elections (Art. 7-10, 13, 15, 29; national rules via Art. 34). */
export const electionErrors = {
  alreadyCalled: () =>
    ruleError(
      'ELECTION_ALREADY_CALLED',
      ART_15,
      { en: 'This election has already been called.', zh: '该选举已经发起。' },
      'CONFLICT',
    ),
  notFound: () =>
    ruleError(
      'ELECTION_NOT_FOUND',
      ART_15,
      { en: 'The election does not exist.', zh: '该选举不存在。' },
      'NOT_FOUND',
    ),
  invalidSeats: () =>
    ruleError(
      'INVALID_SEATS',
      ART_8,
      {
        en: 'The number of seats must be a whole number, at least one.',
        zh: '应选名额须为不少于一的整数。',
      },
      'INVALID_INPUT',
    ),
  invalidExpectedVoters: () =>
    ruleError(
      'INVALID_EXPECTED_VOTERS',
      ART_15,
      {
        en: 'The number of expected voters must be a whole number, at least one.',
        zh: '应到会人数须为不少于一的整数。',
      },
      'INVALID_INPUT',
    ),
  expectedVotersExceedEligible: (expected: number, eligible: number) =>
    ruleError(
      'EXPECTED_VOTERS_EXCEED_ELIGIBLE',
      ART_15,
      {
        en: `${expected} expected voters, but only ${eligible} members may vote (retained members may not).`,
        zh: `应到会人数 ${expected} 人，但有表决权的会员只有 ${eligible} 人（保留会籍者无表决权）。`,
      },
      'RULE_VIOLATION',
      { expected, eligible },
    ),
  singleSeat: (kind: 'CHAIR' | 'GROUP_LEADER') =>
    ruleError(
      'SINGLE_SEAT_ELECTION',
      kind === 'CHAIR' ? ART_8 : article(10),
      {
        en: `A ${kind === 'CHAIR' ? 'chair' : 'group leader'} election has exactly one seat.`,
        zh: `${kind === 'CHAIR' ? '工会主席' : '工会小组长'}选举只设一个名额。`,
      },
      'RULE_VIOLATION',
      { kind },
    ),
  termYearsRequired: () =>
    ruleError(
      'TERM_LENGTH_REQUIRED',
      article(7),
      {
        en: 'A committee election must state the term in years.',
        zh: '选举工会委员会须确定每届任期年限。',
      },
      'INVALID_INPUT',
    ),
  duplicateCandidate: () =>
    ruleError(
      'DUPLICATE_CANDIDATE',
      ART_15,
      { en: 'A candidate is listed more than once.', zh: '候选人名单中有重复。' },
      'INVALID_INPUT',
    ),
  candidateNotEligible: () =>
    ruleError('CANDIDATE_NOT_ELIGIBLE', article(19), {
      en: 'Every candidate must be an active member of this union’s electorate; members whose membership is retained cannot stand.',
      zh: '候选人须为本工会在册会员；保留会籍的会员不能作为候选人。',
    }),
  candidateNotOnCommittee: () =>
    ruleError('CANDIDATE_NOT_COMMITTEE_MEMBER', ART_8, {
      en: 'Chair candidates must be members of the union committee.',
      zh: '工会主席候选人须为工会委员会委员。',
    }),
  candidateAlreadyOnCommittee: () =>
    ruleError('CANDIDATE_ALREADY_ON_COMMITTEE', ART_8, {
      en: 'A by-election candidate is already on the committee.',
      zh: '补选候选人已是工会委员会委员。',
    }),
  noVacancy: () =>
    ruleError('NO_COMMITTEE_VACANCY', ART_8, {
      en: 'The committee has no vacancy to fill by a by-election.',
      zh: '工会委员会没有缺额，无需补选。',
    }),
  womenCommitteeBelowThreshold: (femaleMembers: number, threshold: number) =>
    ruleError(
      'WOMEN_COMMITTEE_BELOW_THRESHOLD',
      ART_9,
      {
        en: `With ${femaleMembers} female members (fewer than ${threshold}) the union elects one women workers’ member instead of a women workers’ committee.`,
        zh: `女职工人数为 ${femaleMembers} 人（不足 ${threshold} 人），应选举女职工委员一名，而不是成立女职工委员会。`,
      },
      'RULE_VIOLATION',
      { femaleMembers, threshold },
    ),
  womenCommitteeCandidateNotFemale: () =>
    ruleError('WOMEN_COMMITTEE_CANDIDATE_NOT_FEMALE', ART_9, {
      en: 'Candidates for the women workers’ committee must be women workers.',
      zh: '女职工委员会候选人须为女职工。',
    }),
  tooFewCandidates: (candidates: number, seats: number) =>
    ruleError(
      'TOO_FEW_CANDIDATES',
      ART_15,
      {
        en: `${candidates} candidates for ${seats} seats: there must be at least as many candidates as seats.`,
        zh: `应选 ${seats} 名，候选人 ${candidates} 名：候选人数不得少于应选名额。`,
      },
      'RULE_VIOLATION',
      { candidates, seats },
    ),
  surplusTooSmall: (candidates: number, required: number, percent: number) =>
    ruleError(
      'CANDIDATE_SURPLUS_TOO_SMALL',
      article(34),
      {
        en: `Committee elections need at least ${percent}% more candidates than seats: ${required} required, ${candidates} given.`,
        zh: `委员候选人差额率不低于 ${percent}%：须至少 ${required} 名候选人，现有 ${candidates} 名。`,
      },
      'RULE_VIOLATION',
      { candidates, required, percent },
    ),
  notOpen: () =>
    ruleError(
      'ELECTION_NOT_OPEN',
      ART_15,
      {
        en: 'The result of this election has already been recorded.',
        zh: '该选举的结果已经登记。',
      },
      'CONFLICT',
    ),
  invalidVotersPresent: (present: number, expected: number) =>
    ruleError(
      'INVALID_VOTERS_PRESENT',
      ART_15,
      {
        en: `Voters present (${present}) must be a whole number no greater than the expected voters (${expected}).`,
        zh: `实到人数（${present}）须为整数，且不得超过应到人数（${expected}）。`,
      },
      'INVALID_INPUT',
      { present, expected },
    ),
  invalidTally: (problem: 'NOT_A_CANDIDATE' | 'REPEATED' | 'NOT_A_COUNT') =>
    ruleError(
      'INVALID_TALLY',
      ART_15,
      {
        en: `Each tally is a whole number of votes for one listed candidate, given once (problem: ${problem}).`,
        zh: `每项计票须为某一候选人所得的整数票数，且每人只登记一次（问题：${problem}）。`,
      },
      'INVALID_INPUT',
      { problem },
    ),
  tallyExceedsVotersPresent: (votes: number, present: number) =>
    ruleError(
      'TALLY_EXCEEDS_VOTERS_PRESENT',
      ART_15,
      {
        en: `A candidate cannot receive ${votes} votes when only ${present} voters took part.`,
        zh: `实到 ${present} 人，候选人所得票数不可能为 ${votes} 票。`,
      },
      'INVALID_INPUT',
      { votes, present },
    ),
  totalExceedsBallots: (total: number, maximum: number) =>
    ruleError(
      'TOTAL_VOTES_EXCEED_BALLOTS',
      ART_15,
      {
        en: `${total} votes were counted, more than the ${maximum} the ballots can hold.`,
        zh: `统计票数 ${total} 票，超过选票可能的最多票数 ${maximum} 票。`,
      },
      'INVALID_INPUT',
      { total, maximum },
    ),
  notConcluded: () =>
    ruleError(
      'ELECTION_NOT_CONCLUDED',
      ART_29,
      {
        en: 'Only a valid, concluded election result can be approved.',
        zh: '只有有效并已产生结果的选举才能报批。',
      },
      'CONFLICT',
    ),
  alreadyApproved: () =>
    ruleError(
      'ELECTION_ALREADY_APPROVED',
      ART_29,
      { en: 'This election result has already been approved.', zh: '该选举结果已经批准。' },
      'CONFLICT',
    ),
  approvalNotByParent: () =>
    ruleError(
      'APPROVAL_NOT_BY_PARENT',
      ART_29,
      {
        en: 'Election results and officer changes are approved by the union one level up.',
        zh: '选举结果和工会干部任免须报上一级工会批准。',
      },
      'FORBIDDEN',
    ),
  externalApprovalRequired: () =>
    ruleError(
      'EXTERNAL_APPROVAL_REQUIRED',
      ART_29,
      {
        en: 'The company union’s election is approved by its own higher union; give that approval’s reference.',
        zh: '公司工会的选举结果须报其上级工会批准，须提供批准文号。',
      },
      'INVALID_INPUT',
    ),
};
