import { atLeastFraction, votesNeeded, type RuleSettings } from '../tenant-settings/rule-settings';
import type { RecordElectionResult } from './election.commands';
import { electionErrors as errors } from './election.errors';
import type { ElectionConcluded, ElectionFailed } from './election.events';
import type { CalledElection, Tally } from './election.state';

const isCount = (n: number): boolean => Number.isInteger(n) && n >= 0;

/** Every candidate's votes, in candidate order; validates the tallies against the ballot. */
function completeTallies(
  election: CalledElection,
  votersPresent: number,
  given: readonly Tally[],
): Tally[] {
  const seen = new Set<string>();
  for (const { memberId, votes } of given) {
    if (!election.candidateMemberIds.includes(memberId))
      throw errors.invalidTally('NOT_A_CANDIDATE');
    if (seen.has(memberId)) throw errors.invalidTally('REPEATED');
    seen.add(memberId);
    if (!isCount(votes)) throw errors.invalidTally('NOT_A_COUNT');
    if (votes > votersPresent) throw errors.tallyExceedsVotersPresent(votes, votersPresent);
  }
  const tallies = election.candidateMemberIds.map((memberId) => ({
    memberId,
    votes: given.find((t) => t.memberId === memberId)?.votes ?? 0,
  }));
  // Each voter marks at most one name per seat.
  const total = tallies.reduce((sum, t) => sum + t.votes, 0);
  const maximum = votersPresent * election.seats;
  if (total > maximum) throw errors.totalExceedsBallots(total, maximum);
  return tallies;
}

/**
 * Judges a held election with the settings in force on its date: valid at ⌈quorum × expected⌉
 * voters; a candidate needs the kind's majority; seats go to the highest votes among those who
 * reached it; a tie across the last seat fails the election rather than picking silently.
 */
export function judgeElection(
  election: CalledElection,
  data: RecordElectionResult['data'],
  settings: RuleSettings,
): ElectionConcluded | ElectionFailed {
  const { votersPresent, heldOn } = data;
  const { electionId, expectedVoters, seats } = election;
  if (!isCount(votersPresent) || votersPresent > expectedVoters) {
    throw errors.invalidVotersPresent(votersPresent, expectedVoters);
  }
  const tallies = completeTallies(election, votersPresent, data.tallies);
  const quorum = atLeastFraction(expectedVoters, settings.electionQuorum);
  const majority = election.kind === 'CHAIR' ? settings.chairMajority : settings.memberMajority;
  const needed = votesNeeded(majority, { votersPresent, expectedVoters });
  const held = {
    electionId,
    heldOn,
    votersPresent,
    tallies,
    quorum,
    majority,
    votesNeeded: needed,
  };
  const fail = (
    reason: ElectionFailed['data']['reason'],
    tiedMemberIds: string[] = [],
  ): ElectionFailed => ({
    type: 'ElectionFailed',
    data: { ...held, reason, tiedMemberIds },
  });

  if (votersPresent < quorum) return fail('QUORUM_NOT_REACHED');
  // Stable sort: candidate order is kept among equal votes below the cut.
  const qualified = tallies.filter((t) => t.votes >= needed).sort((a, b) => b.votes - a.votes);
  if (qualified.length === 0) return fail('NO_CANDIDATE_REACHED_THRESHOLD');
  const last = qualified[seats - 1];
  const next = qualified[seats];
  if (last && next && last.votes === next.votes) {
    return fail(
      'TIE_AT_LAST_SEAT',
      qualified.filter((t) => t.votes === last.votes).map((t) => t.memberId),
    );
  }
  const winners = qualified.slice(0, seats).map((t) => t.memberId);
  return {
    type: 'ElectionConcluded',
    data: { ...held, winners, unfilledSeats: seats - winners.length },
  };
}
