import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import { tenantSettingsDecider } from '../tenant-settings/tenant-settings.decider';
import { settingsInForce } from '../tenant-settings/tenant-settings.state';
import { unionDecider } from '../union/union.decider';
import {
  committeeElected,
  committeeForm,
  established,
  metadata,
  NATIONAL,
  UNION_ID,
} from '../union/union.fixtures';
import { approvedResultOf, electionDecider } from './election.decider';
import type { ElectionEvent, ElectionResultApproved } from './election.events';
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

const approve = (
  actorIsParentOfficer = true,
  externalApprovalRef?: string,
  approvedOn = '2025-03-25',
) =>
  ({
    type: 'ApproveElectionResult',
    metadata,
    data: {
      approvedOn,
      actorIsParentOfficer,
      ...(externalApprovalRef ? { externalApprovalRef } : {}),
    },
  }) as const;

const decided = (
  events: ElectionEvent[],
  command: Parameters<typeof electionDecider.decide>[0],
) => [...events, ...electionDecider.decide(command, foldEvents(electionDecider, events))];

describe('election: approval by the parent union (Art. 29)', () => {
  const concluded = decided(
    [CHAIR],
    result(20, [
      ['c1', 15],
      ['c2', 5],
    ]),
  );

  it('is given by an officer of the parent', () => {
    spec
      .given(concluded)
      .when(approve())
      .then([
        {
          type: 'ElectionResultApproved',
          data: {
            electionId: 'e-1',
            unionId: UNION_ID,
            kind: 'CHAIR',
            seats: 1,
            winners: ['c1'],
            termYears: null,
            approvedOn: '2025-03-25',
            approvalRef: null,
          },
        },
      ]);
    const error = spec
      .given(concluded)
      .when(approve(false))
      .thenThrows('APPROVAL_NOT_BY_PARENT', 'Art. 29');
    expect(error.kind).toBe('FORBIDDEN');
  });

  it('for the company union, comes from its own higher union by reference', () => {
    const company = called('CHAIR', 1, ['c1', 'c2'], 30, 'COMPANY');
    const companyConcluded = decided(
      [company],
      result(20, [
        ['c1', 15],
        ['c2', 5],
      ]),
    );
    spec
      .given(companyConcluded)
      .when(approve(false, 'Provincial federation 2025-9'))
      .thenMatches([
        { type: 'ElectionResultApproved', data: { approvalRef: 'Provincial federation 2025-9' } },
      ]);
    spec
      .given(companyConcluded)
      .when(approve(true))
      .thenThrows('EXTERNAL_APPROVAL_REQUIRED', 'Art. 29');
  });

  it('needs a concluded election, and happens once', () => {
    spec.given([CHAIR]).when(approve()).thenThrows('ELECTION_NOT_CONCLUDED');
    spec
      .given(decided([CHAIR], result(10, [['c1', 10]])))
      .when(approve())
      .thenThrows('ELECTION_NOT_CONCLUDED');
    spec
      .given(decided(concluded, approve()))
      .when(approve())
      .thenThrows('ELECTION_ALREADY_APPROVED');
  });
});

describe('election: judged by the settings in force on its date', () => {
  // The tenant moves to the NATIONAL preset from 2025-06-01.
  const tenant = foldEvents(tenantSettingsDecider, [
    {
      type: 'TenantSettingsProvisioned',
      data: { tenantId: 'tenant-1', preset: 'ENTERPRISE_REGULATION', provisionedOn: '2024-01-01' },
    },
    {
      type: 'RuleSettingsChanged',
      data: {
        effectiveOn: '2025-06-01',
        preset: 'NATIONAL',
        overrides: {},
        reason: 'r',
        decidedOn: '2025-05-01',
      },
    },
  ]);
  const held = (heldOn: string) =>
    result(
      20,
      [
        ['c1', 10],
        ['c2', 9],
      ],
      settingsInForce(tenant, heldOn),
      heldOn,
    );

  it('exactly half elects the day before the change and fails from the change on', () => {
    spec
      .given([CHAIR])
      .when(held('2025-05-31'))
      .thenMatches([{ type: 'ElectionConcluded', data: { winners: ['c1'] } }]);
    spec
      .given([CHAIR])
      .when(held('2025-06-01'))
      .thenMatches([
        { type: 'ElectionFailed', data: { reason: 'NO_CANDIDATE_REACHED_THRESHOLD' } },
      ]);
  });

  it('does not re-judge an earlier result after the change: it is still approved and installed', () => {
    const history = decided(
      decided([CHAIR], held('2025-05-31')),
      approve(true, undefined, '2025-06-15'),
    );
    const approved = history.at(-1) as ElectionResultApproved;
    expect(foldEvents(electionDecider, history)).toMatchObject({
      status: 'APPROVED',
      winners: ['c1'],
    });

    const union = [established(), committeeForm(), committeeElected(['c1', 'c2', 'c3'])];
    deciderSpec(unionDecider)
      .given(union)
      .when({
        type: 'InstallElectionResult',
        metadata,
        data: {
          electionId: 'e-1',
          approvedOn: approved.data.approvedOn,
          result: approvedResultOf(approved),
        },
      })
      .then([
        {
          type: 'ChairElected',
          data: { unionId: UNION_ID, electionId: 'e-1', memberId: 'c1', electedOn: '2025-06-15' },
        },
      ]);
  });
});
