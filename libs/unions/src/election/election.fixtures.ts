/* Test data for the election specs (not exported from the library). */
import type { RuleSettings } from '../tenant-settings/rule-settings';
import type { UnionLevel } from '../union/union.state';
import { ENTERPRISE, metadata, UNION_ID } from '../union/union.fixtures';
import type { CallElection, CandidateFacts, ElectionUnionFacts } from './election.commands';
import type { ElectionEvent } from './election.events';
import type { ElectionKind } from './election.state';

export const candidate = (
  memberId: string,
  facts: Partial<CandidateFacts> = {},
): CandidateFacts => ({
  memberId,
  status: 'ACTIVE',
  inElectorate: true,
  female: false,
  ...facts,
});

export const candidates = (n: number, prefix = 'c'): CandidateFacts[] =>
  Array.from({ length: n }, (_, i) => candidate(`${prefix}${i + 1}`));

export const unionFacts = (
  facts: Partial<Extract<ElectionUnionFacts, { level: string }>> = {},
): ElectionUnionFacts => ({
  status: 'ACTIVE',
  level: 'TEAM',
  governanceForm: 'COMMITTEE',
  activeMembers: 30,
  eligibleVoters: 30,
  femaleMembers: 12,
  committeeMemberIds: [],
  committeeVacancies: 0,
  ...facts,
});

export function callElection(data: Partial<CallElection['data']> = {}): CallElection {
  return {
    type: 'CallElection',
    metadata,
    data: {
      electionId: 'e-1',
      unionId: UNION_ID,
      kind: 'COMMITTEE',
      seats: 5,
      expectedVoters: 30,
      candidates: candidates(5),
      termYears: 3,
      calledOn: '2025-03-01',
      union: unionFacts(),
      settings: ENTERPRISE,
      ...data,
    },
  };
}

/** An election as the decider would have recorded its call. */
export function called(
  kind: ElectionKind = 'COMMITTEE',
  seats = 5,
  candidateMemberIds: string[] = ['c1', 'c2', 'c3', 'c4', 'c5'],
  expectedVoters = 30,
  unionLevel: UnionLevel = 'TEAM',
): ElectionEvent {
  return {
    type: 'ElectionCalled',
    data: {
      electionId: 'e-1',
      unionId: UNION_ID,
      unionLevel,
      kind,
      seats,
      expectedVoters,
      candidateMemberIds,
      termYears: kind === 'COMMITTEE' ? 3 : null,
      calledOn: '2025-03-01',
    },
  };
}

export const result = (
  votersPresent: number,
  tallies: [string, number][],
  settings: RuleSettings = ENTERPRISE,
  heldOn = '2025-03-20',
) =>
  ({
    type: 'RecordElectionResult',
    metadata,
    data: {
      votersPresent,
      tallies: tallies.map(([memberId, votes]) => ({ memberId, votes })),
      heldOn,
      settings,
    },
  }) as const;
