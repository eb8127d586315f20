import { deciderSpec } from '@app/testing';
import { ENTERPRISE, NATIONAL, UNION_ID } from '../union/union.fixtures';
import { electionDecider } from './election.decider';
import { callElection, called, candidate, candidates, unionFacts } from './election.fixtures';

const spec = deciderSpec(electionDecider);

describe('election: calling (Art. 7, 8, 15, 19)', () => {
  it('records the ballot, the candidates and the term', () => {
    spec.given([]).when(callElection()).then([called()]);
  });

  it.each([
    [2, 'COMMITTEE_SIZE_OUT_OF_RANGE'],
    [3, null],
    [7, null],
    [8, 'COMMITTEE_SIZE_OUT_OF_RANGE'],
  ] as const)('a committee of %i seats (3-7): %s', (seats, code) => {
    const when = spec.given([]).when(callElection({ seats, candidates: candidates(seats) }));
    if (code) when.thenThrows(code, 'Art. 8');
    else when.thenMatches([{ type: 'ElectionCalled', data: { seats } }]);
  });

  it.each([
    [25, 3, null],
    [25, 4, 'COMMITTEE_SIZE_OUT_OF_RANGE'],
    [26, 5, null],
    [100, 5, null],
    [101, 4, 'COMMITTEE_SIZE_OUT_OF_RANGE'],
    [101, 7, null],
  ] as const)('NATIONAL: %i members, %i seats: %s', (activeMembers, seats, code) => {
    // Enough candidates for the 5% surplus, so only the size is judged.
    const when = spec.given([]).when(
      callElection({
        seats,
        candidates: candidates(seats + 1),
        settings: NATIONAL,
        union: unionFacts({ activeMembers }),
      }),
    );
    if (code) when.thenThrows(code, 'Art. 8');
    else when.thenMatches([{ type: 'ElectionCalled' }]);
  });

  it('NATIONAL committee elections need 5% more candidates than seats, rounded up', () => {
    const national = (seats: number, n: number) =>
      spec.given([]).when(
        callElection({
          seats,
          candidates: candidates(n),
          settings: NATIONAL,
          union: unionFacts({ activeMembers: 150 }),
        }),
      );
    national(7, 7).thenThrows('CANDIDATE_SURPLUS_TOO_SMALL', 'Art. 34');
    national(7, 8).thenMatches([{ type: 'ElectionCalled' }]);
    national(5, 5).thenThrows('CANDIDATE_SURPLUS_TOO_SMALL');
    national(5, 6).thenMatches([{ type: 'ElectionCalled' }]);
  });

  it('enterprise elections need no surplus, but at least one candidate per seat', () => {
    spec
      .given([])
      .when(callElection({ seats: 3, candidates: candidates(3) }))
      .thenMatches([{ type: 'ElectionCalled' }]);
    spec
      .given([])
      .when(callElection({ seats: 3, candidates: candidates(2) }))
      .thenThrows('TOO_FEW_CANDIDATES', 'Art. 15');
  });

  it.each([
    ['ENTERPRISE_REGULATION', 2, 'TERM_LENGTH_NOT_ALLOWED'],
    ['ENTERPRISE_REGULATION', 3, null],
    ['ENTERPRISE_REGULATION', 4, null],
    ['ENTERPRISE_REGULATION', 5, null],
    ['ENTERPRISE_REGULATION', 6, 'TERM_LENGTH_NOT_ALLOWED'],
    ['NATIONAL', 4, 'TERM_LENGTH_NOT_ALLOWED'],
    ['NATIONAL', 5, null],
  ] as const)('%s: a term of %i years: %s', (preset, termYears, code) => {
    const settings = preset === 'NATIONAL' ? NATIONAL : ENTERPRISE;
    const when = spec
      .given([])
      .when(callElection({ termYears, settings, candidates: candidates(6) }));
    if (code) when.thenThrows(code, 'Art. 7');
    else when.thenMatches([{ type: 'ElectionCalled', data: { termYears } }]);
  });

  it('needs a term for a committee election', () => {
    spec
      .given([])
      .when(callElection({ termYears: undefined }))
      .thenThrows('TERM_LENGTH_REQUIRED', 'Art. 7');
  });

  it.each([
    ['retained', { status: 'RETAINED' }],
    ['applied', { status: 'APPLIED' }],
    ['unknown', { status: 'NOT_FOUND' }],
    ['outside the electorate', { inElectorate: false }],
  ] as const)('refuses a candidate who is %s', (_, facts) => {
    const list = [...candidates(4), candidate('x', facts)];
    spec
      .given([])
      .when(callElection({ candidates: list }))
      .thenThrows('CANDIDATE_NOT_ELIGIBLE', 'Art. 19');
  });

  it('lists each candidate once', () => {
    spec
      .given([])
      .when(callElection({ candidates: [...candidates(5), candidate('c1')] }))
      .thenThrows('DUPLICATE_CANDIDATE');
  });

  it('expects no more voters than may vote', () => {
    spec
      .given([])
      .when(callElection({ expectedVoters: 30, union: unionFacts({ eligibleVoters: 30 }) }))
      .thenMatches([{ type: 'ElectionCalled' }]);
    spec
      .given([])
      .when(callElection({ expectedVoters: 31, union: unionFacts({ eligibleVoters: 30 }) }))
      .thenThrows('EXPECTED_VOTERS_EXCEED_ELIGIBLE', 'Art. 15');
    spec
      .given([])
      .when(callElection({ expectedVoters: 0 }))
      .thenThrows('INVALID_EXPECTED_VOTERS');
  });

  it('is held only by an active union with a committee form', () => {
    spec
      .given([])
      .when(callElection({ union: unionFacts({ status: 'PENDING_APPROVAL' }) }))
      .thenThrows('UNION_NOT_ACTIVE', 'Art. 5');
    spec
      .given([])
      .when(callElection({ union: { status: 'NOT_FOUND' } }))
      .thenThrows('UNION_NOT_FOUND');
    spec
      .given([])
      .when(callElection({ union: unionFacts({ governanceForm: 'ORGANIZER' }) }))
      .thenThrows('COMMITTEE_NOT_THE_GOVERNANCE_FORM', 'Art. 6');
    spec.given([called()]).when(callElection()).thenThrows('ELECTION_ALREADY_CALLED');
  });

  it('elects one chair from the committee', () => {
    const union = unionFacts({ committeeMemberIds: ['c1', 'c2', 'c3'] });
    const chair = (seats: number, ids: string[]) =>
      spec
        .given([])
        .when(
          callElection({ kind: 'CHAIR', seats, union, candidates: ids.map((id) => candidate(id)) }),
        );
    chair(1, ['c1', 'c2']).thenMatches([
      { type: 'ElectionCalled', data: { kind: 'CHAIR', termYears: null } },
    ]);
    chair(2, ['c1', 'c2']).thenThrows('SINGLE_SEAT_ELECTION', 'Art. 8');
    chair(1, ['c1', 'x']).thenThrows('CANDIDATE_NOT_COMMITTEE_MEMBER', 'Art. 8');
  });

  it('fills vacancies only by by-election', () => {
    const byElection = (vacancies: number, seats: number, ids = ['n1', 'n2']) =>
      spec.given([]).when(
        callElection({
          kind: 'BY_ELECTION',
          seats,
          candidates: ids.map((id) => candidate(id)),
          union: unionFacts({
            committeeMemberIds: ['c1', 'c2', 'c3'],
            committeeVacancies: vacancies,
          }),
        }),
      );
    byElection(1, 1).thenMatches([{ type: 'ElectionCalled', data: { kind: 'BY_ELECTION' } }]);
    byElection(0, 1).thenThrows('NO_COMMITTEE_VACANCY', 'Art. 8');
    byElection(1, 2).thenThrows('BY_ELECTION_EXCEEDS_VACANCIES', 'Art. 8');
    byElection(1, 1, ['c1', 'n1']).thenThrows('CANDIDATE_ALREADY_ON_COMMITTEE');
  });

  it.each([
    ['ENTERPRISE_REGULATION', 24, 'WOMEN_COMMITTEE_BELOW_THRESHOLD'],
    ['ENTERPRISE_REGULATION', 25, null],
    ['NATIONAL', 9, 'WOMEN_COMMITTEE_BELOW_THRESHOLD'],
    ['NATIONAL', 10, null],
  ] as const)(
    '%s: a women workers’ committee with %i female members: %s',
    (preset, femaleMembers, code) => {
      const settings = preset === 'NATIONAL' ? NATIONAL : ENTERPRISE;
      const women = ['w1', 'w2', 'w3'].map((id) => candidate(id, { female: true }));
      const when = spec.given([]).when(
        callElection({
          kind: 'WOMEN_COMMITTEE',
          seats: 3,
          candidates: women,
          settings,
          union: unionFacts({ femaleMembers }),
        }),
      );
      if (code) when.thenThrows(code, 'Art. 9');
      else when.thenMatches([{ type: 'ElectionCalled', data: { kind: 'WOMEN_COMMITTEE' } }]);
    },
  );

  it('has women workers stand for the women workers’ committee', () => {
    const list = [candidate('w1', { female: true }), candidate('m1')];
    spec
      .given([])
      .when(
        callElection({
          kind: 'WOMEN_COMMITTEE',
          seats: 1,
          candidates: list,
          union: unionFacts({ femaleMembers: 30 }),
        }),
      )
      .thenThrows('WOMEN_COMMITTEE_CANDIDATE_NOT_FEMALE', 'Art. 9');
  });

  it('elects group leaders in groups, and nothing else there (Art. 10)', () => {
    const group = unionFacts({ level: 'GROUP', governanceForm: 'NONE' });
    spec
      .given([])
      .when(
        callElection({ kind: 'GROUP_LEADER', seats: 1, candidates: candidates(2), union: group }),
      )
      .thenMatches([{ type: 'ElectionCalled', data: { unionId: UNION_ID, unionLevel: 'GROUP' } }]);
    spec
      .given([])
      .when(
        callElection({ kind: 'GROUP_LEADER', seats: 2, candidates: candidates(2), union: group }),
      )
      .thenThrows('SINGLE_SEAT_ELECTION', 'Art. 10');
    spec
      .given([])
      .when(callElection({ kind: 'GROUP_LEADER', seats: 1 }))
      .thenThrows('ELECTION_KIND_NOT_FOR_LEVEL', 'Art. 10');
    spec
      .given([])
      .when(callElection({ union: group }))
      .thenThrows('ELECTION_KIND_NOT_FOR_LEVEL', 'Art. 10');
  });
});
