import { addMonthsToDate } from '@app/core';
import { atLeastFraction, votesNeeded, type RuleSettings } from '../tenant-settings/rule-settings';
import type { AssignCommitteeRoles, RecallCommitteeMember } from './union.commands';
import { committeeErrors as errors } from './committee.errors';
import {
  chairOf,
  COMMITTEE_ROLES,
  REQUIRED_PORTFOLIOS,
  type Committee,
  type CommitteeRole,
  type Term,
} from './union.state';

const isRole = (role: string): role is CommitteeRole =>
  (COMMITTEE_ROLES as readonly string[]).includes(role);

/**
 * Art. 8, 9, 13: the complete portfolio map. Only committee members hold roles; every portfolio is
 * held (one person may hold several); CHAIR only by the elected chair, who keeps it regardless;
 * below the Art. 9 threshold a woman on the committee is the women workers' member.
 * Returns the assignments as stored, the chair's CHAIR role included.
 */
export function checkRoleAssignment(
  committee: Committee,
  data: AssignCommitteeRoles['data'],
): { memberId: string; roles: CommitteeRole[] }[] {
  const members = new Set(committee.members.map((s) => s.memberId));
  const chair = chairOf(committee);
  const seen = new Set<string>();
  for (const { memberId, roles } of data.assignments) {
    if (!members.has(memberId)) throw errors.notCommitteeMember();
    if (seen.has(memberId)) throw errors.repeatedAssignment();
    seen.add(memberId);
    for (const role of roles) if (!isRole(role)) throw errors.unknownRole(role);
    if (roles.includes('CHAIR') && memberId !== chair) throw errors.chairMustBeElected();
    if (memberId === chair && roles.includes('VICE_CHAIR')) throw errors.chairCannotBeViceChair();
  }

  const stored = committee.members
    .map(({ memberId }) => {
      const given = data.assignments.find((a) => a.memberId === memberId)?.roles ?? [];
      const roles = COMMITTEE_ROLES.filter(
        (r) => given.includes(r) || (r === 'CHAIR' && memberId === chair),
      );
      return { memberId, roles };
    })
    .filter((a) => a.roles.length > 0);

  const held = new Set(stored.flatMap((a) => a.roles));
  const missing = REQUIRED_PORTFOLIOS.filter((r) => !held.has(r));
  if (missing.length > 0) throw errors.roleUnassigned(missing);

  const womenWorkers = stored.filter((a) => a.roles.includes('WOMEN_WORKERS'));
  if (womenWorkers.some((a) => !data.femaleCommitteeMemberIds.includes(a.memberId))) {
    throw errors.womenWorkersMemberNotFemale();
  }
  const threshold = data.settings.womenCommitteeRequiredAtFemaleMembers;
  // With no female members there is nobody to represent; at the threshold a women's committee
  // (elected separately) takes the place of the single member.
  if (data.femaleMembers > 0 && data.femaleMembers < threshold && womenWorkers.length === 0) {
    throw errors.womenWorkersMemberRequired(data.femaleMembers, threshold);
  }
  return stored;
}

/** Art. 7: parent approval, at most N months (more in special cases), once per term. */
export function checkTermExtension(
  term: Term | null,
  data: { months: number; special: boolean; approvalRef: string; settings: RuleSettings },
): Term {
  if (term === null) throw errors.noTerm();
  if (data.approvalRef.trim() === '') throw errors.extensionApprovalRequired();
  if (!Number.isInteger(data.months) || data.months < 1) throw errors.invalidExtension();
  const s = data.settings;
  const max = data.special ? s.termExtensionSpecialMaxMonths : s.termExtensionMaxMonths;
  if (data.months > max) throw errors.extensionTooLong(data.months, max, data.special);
  if (term.extensions.length >= s.termExtensionsPerTerm) {
    throw errors.alreadyExtended(s.termExtensionsPerTerm);
  }
  return {
    ...term,
    end: addMonthsToDate(term.end, data.months),
    extensions: [
      ...term.extensions,
      { months: data.months, special: data.special, approvalRef: data.approvalRef.trim() },
    ],
  };
}

/** Art. 15: recalled by the body that elected the member, by a valid majority vote. */
export function checkRecall(committee: Committee, data: RecallCommitteeMember['data']): void {
  const seat = committee.members.find((s) => s.memberId === data.memberId);
  if (!seat) throw errors.notCommitteeMember();
  if (data.decidedBy !== seat.electedBy) throw errors.recallNotByElectingBody();
  if (data.resolutionRef.trim() === '') throw errors.recallResolutionRequired();
  const { votesFor, votersPresent, expectedVoters, settings } = data;
  const counts = [votesFor, votersPresent, expectedVoters];
  if (
    !counts.every((n) => Number.isInteger(n) && n >= 0) ||
    expectedVoters < 1 ||
    votesFor > votersPresent ||
    votersPresent > expectedVoters
  ) {
    throw errors.invalidVoteCounts();
  }
  const quorum = atLeastFraction(expectedVoters, settings.electionQuorum);
  if (votersPresent < quorum) throw errors.recallQuorumNotReached(votersPresent, quorum);
  const needed = votesNeeded(settings.memberMajority, { votersPresent, expectedVoters });
  if (votesFor < needed) throw errors.recallMajorityNotReached(votesFor, needed);
}
