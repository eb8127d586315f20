import {
  candidatesRequired,
  committeeSizeRange,
  type RuleSettings,
} from '../tenant-settings/rule-settings';
import { committeeErrors } from '../union/committee.errors';
import { unionErrors } from '../union/union.errors';
import type { CallElection, CandidateFacts, ElectionUnionFacts } from './election.commands';
import { electionErrors as errors } from './election.errors';

type UnionFound = Exclude<ElectionUnionFacts, { status: 'NOT_FOUND' }>;

const isCount = (n: number, min: number): boolean => Number.isInteger(n) && n >= min;

/** Art. 5: a pending or dissolved union holds no elections. */
export function checkUnionCanElect(union: ElectionUnionFacts): UnionFound {
  if (union.status === 'NOT_FOUND') throw unionErrors.notFound();
  if (union.status !== 'ACTIVE') throw unionErrors.notActive();
  return union;
}

/** Art. 10, 15: who elects what, how many seats, how many voters. */
export function checkBallot(data: CallElection['data'], union: UnionFound): void {
  const { kind, seats, expectedVoters } = data;
  const isGroup = union.level === 'GROUP';
  if ((kind === 'GROUP_LEADER') !== isGroup) throw committeeErrors.groupLeaderOnlyInGroups();
  if (!isCount(seats, 1)) throw errors.invalidSeats();
  if (!isCount(expectedVoters, 1)) throw errors.invalidExpectedVoters();
  if (expectedVoters > union.eligibleVoters) {
    throw errors.expectedVotersExceedEligible(expectedVoters, union.eligibleVoters);
  }
}

/** Art. 19: candidates are distinct active members of the electorate; at least one per seat. */
export function checkCandidates(candidates: readonly CandidateFacts[], seats: number): void {
  const ids = candidates.map((c) => c.memberId);
  if (new Set(ids).size !== ids.length) throw errors.duplicateCandidate();
  if (candidates.some((c) => c.status !== 'ACTIVE' || !c.inElectorate)) {
    throw errors.candidateNotEligible();
  }
  if (candidates.length < seats) throw errors.tooFewCandidates(candidates.length, seats);
}

/** Rules that depend on what is being elected (Art. 7, 8, 9, 10; national surplus via Art. 34). */
export function checkKind(
  data: CallElection['data'],
  union: UnionFound,
  settings: RuleSettings,
): number | null {
  const { seats, candidates } = data;
  const onCommittee = (c: CandidateFacts): boolean => union.committeeMemberIds.includes(c.memberId);
  switch (data.kind) {
    case 'COMMITTEE': {
      if (union.governanceForm !== 'COMMITTEE' && union.governanceForm !== 'JOINT_COMMITTEE') {
        throw committeeErrors.noCommitteeForm();
      }
      const { min, max } = committeeSizeRange(settings.committeeSize, union.activeMembers);
      if (seats < min || seats > max) throw committeeErrors.sizeOutOfRange(seats, min, max);
      const required = candidatesRequired(seats, settings.committeeCandidateSurplusPercent);
      if (candidates.length < required) {
        throw errors.surplusTooSmall(
          candidates.length,
          required,
          settings.committeeCandidateSurplusPercent,
        );
      }
      const years = data.termYears;
      if (years === undefined) throw errors.termYearsRequired();
      if (!settings.termYearsAllowed.includes(years)) {
        throw committeeErrors.termLengthNotAllowed(years, settings.termYearsAllowed);
      }
      return years;
    }
    case 'CHAIR':
      if (seats !== 1) throw errors.singleSeat('CHAIR');
      if (union.committeeMemberIds.length === 0) throw committeeErrors.noCommittee();
      if (!candidates.every(onCommittee)) throw errors.candidateNotOnCommittee();
      return null;
    case 'BY_ELECTION':
      if (union.committeeMemberIds.length === 0 && union.committeeVacancies === 0) {
        throw committeeErrors.noCommittee();
      }
      if (union.committeeVacancies === 0) throw errors.noVacancy();
      if (seats > union.committeeVacancies) {
        throw committeeErrors.byElectionExceedsVacancies(seats, union.committeeVacancies);
      }
      if (candidates.some(onCommittee)) throw errors.candidateAlreadyOnCommittee();
      return null;
    case 'WOMEN_COMMITTEE': {
      const threshold = settings.womenCommitteeRequiredAtFemaleMembers;
      if (union.femaleMembers < threshold) {
        throw errors.womenCommitteeBelowThreshold(union.femaleMembers, threshold);
      }
      if (!candidates.every((c) => c.female)) throw errors.womenCommitteeCandidateNotFemale();
      return null;
    }
    case 'GROUP_LEADER':
      if (seats !== 1) throw errors.singleSeat('GROUP_LEADER');
      return null;
    default: {
      const _exhaustive: never = data.kind;
      return _exhaustive;
    }
  }
}
