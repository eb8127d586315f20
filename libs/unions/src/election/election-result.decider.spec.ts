import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import { NATIONAL } from '../union/union.fixtures';
import { electionDecider } from './election.decider';
import { called, result } from './election.fixtures';

const spec = deciderSpec(electionDecider);

const CHAIR = called('CHAIR', 1, ['c1', 'c2'], 30);

describe('election: validity needs two thirds of the expected voters', () => {
  it.each([
    [30, 19, 'FAILED'],
    [30, 20, 'CONCLUDED'],
    [10, 6, 'FAILED'],
    [10, 7, 'CONCLUDED'],
  ] as const)('expected %i, present %i: %s', (expected, present, outcome) => {
    spec
      .given([called('CHAIR', 1, ['c1'], expected)])
      .when(result(present, [['c1', present]]))
      .thenMatches([
        outcome === 'FAILED'
          ? {
              type: 'ElectionFailed',
              data: { reason: 'QUORUM_NOT_REACHED', quorum: Math.ceil((2 * expected) / 3) },
            }
          : { type: 'ElectionConcluded', data: { winners: ['c1'] } },
      ]);
  });
});

describe('election: the chair’s majority (Art. 13)', () => {
  it.each([
    [9, 'FAILED'],
    [10, 'CONCLUDED'],
    [11, 'CONCLUDED'],
  ] as const)('ENTERPRISE_REGULATION: %i of 20 present (half is 10): %s', (votes, outcome) => {
    spec
      .given([CHAIR])
      .when(
        result(20, [
          ['c1', votes],
          ['c2', 5],
        ]),
      )
      .thenMatches([
        outcome === 'FAILED'
          ? {
              type: 'ElectionFailed',
              data: { reason: 'NO_CANDIDATE_REACHED_THRESHOLD', votesNeeded: 10 },
            }
          : { type: 'ElectionConcluded', data: { winners: ['c1'], votesNeeded: 10 } },
      ]);
  });

  it.each([
    [14, 'FAILED'],
    [15, 'FAILED'],
    [16, 'CONCLUDED'],
  ] as const)('NATIONAL: %i votes, 30 expected (more than half is 16): %s', (votes, outcome) => {
    spec
      .given([CHAIR])
      .when(
        result(
          30,
          [
            ['c1', votes],
            ['c2', 5],
          ],
          NATIONAL,
        ),
      )
      .thenMatches([
        outcome === 'FAILED'
          ? { type: 'ElectionFailed', data: { votesNeeded: 16 } }
          : { type: 'ElectionConcluded', data: { winners: ['c1'] } },
      ]);
  });

  it('NATIONAL counts half of the expected voters, not of those present', () => {
    spec
      .given([CHAIR])
      .when(
        result(
          20,
          [
            ['c1', 15],
            ['c2', 5],
          ],
          NATIONAL,
        ),
      )
      .thenMatches([{ type: 'ElectionFailed', data: { votesNeeded: 16 } }]);
  });

  it('exactly half: a tie between two chair candidates at half each fails, no silent pick', () => {
    spec
      .given([CHAIR])
      .when(
        result(20, [
          ['c1', 10],
          ['c2', 10],
        ]),
      )
      .thenMatches([
        {
          type: 'ElectionFailed',
          data: { reason: 'TIE_AT_LAST_SEAT', tiedMemberIds: ['c1', 'c2'] },
        },
      ]);
  });
});

describe('election: committee seats', () => {
  const COMMITTEE = called('COMMITTEE', 3, ['c1', 'c2', 'c3', 'c4', 'c5'], 30);

  it('go to the highest votes among those over the threshold', () => {
    spec
      .given([COMMITTEE])
      .when(
        result(24, [
          ['c1', 20],
          ['c2', 12],
          ['c3', 18],
          ['c4', 15],
          ['c5', 5],
        ]),
      )
      .then([
        {
          type: 'ElectionConcluded',
          data: {
            electionId: 'e-1',
            heldOn: '2025-03-20',
            votersPresent: 24,
            tallies: [
              { memberId: 'c1', votes: 20 },
              { memberId: 'c2', votes: 12 },
              { memberId: 'c3', votes: 18 },
              { memberId: 'c4', votes: 15 },
              { memberId: 'c5', votes: 5 },
            ],
            quorum: 20,
            majority: { base: 'VOTERS_PRESENT', comparison: 'AT_LEAST_HALF' },
            votesNeeded: 12,
            winners: ['c1', 'c3', 'c4'],
            unfilledSeats: 0,
          },
        },
      ]);
  });

  it('fail on a tie across the last seat, naming the tied candidates', () => {
    spec
      .given([COMMITTEE])
      .when(
        result(24, [
          ['c1', 20],
          ['c2', 15],
          ['c3', 18],
          ['c4', 15],
        ]),
      )
      .thenMatches([
        {
          type: 'ElectionFailed',
          data: { reason: 'TIE_AT_LAST_SEAT', tiedMemberIds: ['c2', 'c4'] },
        },
      ]);
  });

  it('are not affected by ties above the last seat or below the threshold', () => {
    spec
      .given([COMMITTEE])
      .when(
        result(24, [
          ['c1', 20],
          ['c2', 20],
          ['c3', 18],
          ['c4', 7],
          ['c5', 7],
        ]),
      )
      .thenMatches([{ type: 'ElectionConcluded', data: { winners: ['c1', 'c2', 'c3'] } }]);
  });

  it('stay vacant when too few reach the threshold (filled later by by-election)', () => {
    spec
      .given([COMMITTEE])
      .when(
        result(24, [
          ['c1', 20],
          ['c2', 11],
          ['c3', 12],
        ]),
      )
      .thenMatches([
        { type: 'ElectionConcluded', data: { winners: ['c1', 'c3'], unfilledSeats: 1 } },
      ]);
  });
});

describe('election: tallies are checked against the ballot', () => {
  it('no candidate can have more votes than voters present', () => {
    spec
      .given([CHAIR])
      .when(result(20, [['c1', 20]]))
      .thenMatches([{ type: 'ElectionConcluded' }]);
    spec
      .given([CHAIR])
      .when(result(20, [['c1', 21]]))
      .thenThrows('TALLY_EXCEEDS_VOTERS_PRESENT', 'Art. 15');
  });

  it('no more votes than ballots allow (one name per seat)', () => {
    spec
      .given([CHAIR])
      .when(
        result(20, [
          ['c1', 12],
          ['c2', 9],
        ]),
      )
      .thenThrows('TOTAL_VOTES_EXCEED_BALLOTS');
  });

  it('tallies are for listed candidates, once, in whole votes', () => {
    const problem = (tallies: [string, number][], expected: string) => {
      const error = spec.given([CHAIR]).when(result(20, tallies)).thenThrows('INVALID_TALLY');
      expect(error.details).toEqual({ problem: expected });
    };
    problem([['x', 1]], 'NOT_A_CANDIDATE');
    problem(
      [
        ['c1', 1],
        ['c1', 2],
      ],
      'REPEATED',
    );
    problem([['c1', -1]], 'NOT_A_COUNT');
    problem([['c1', 1.5]], 'NOT_A_COUNT');
  });

  it('voters present are at most the expected voters', () => {
    spec
      .given([CHAIR])
      .when(result(30, [['c1', 30]]))
      .thenMatches([{ type: 'ElectionConcluded' }]);
    spec
      .given([CHAIR])
      .when(result(31, [['c1', 1]]))
      .thenThrows('INVALID_VOTERS_PRESENT');
  });

  it('a result is recorded once, not before the call', () => {
    const concluded = electionDecider.decide(
      result(20, [['c1', 20]]),
      foldEvents(electionDecider, [CHAIR]),
    );
    spec
      .given([CHAIR, ...concluded])
      .when(result(20, [['c1', 20]]))
      .thenThrows('ELECTION_NOT_OPEN');
    spec
      .given([CHAIR])
      .when(result(20, [['c1', 20]], undefined, '2025-02-28'))
      .thenThrows('DATE_OUT_OF_ORDER');
    spec
      .given([])
      .when(result(20, [['c1', 20]]))
      .thenThrows('ELECTION_NOT_FOUND');
  });
});
