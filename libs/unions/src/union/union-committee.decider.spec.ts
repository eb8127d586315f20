import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import type { ApprovedResult, AssignCommitteeRoles } from './union.commands';
import { unionDecider } from './union.decider';
import type { UnionEvent } from './union.events';
import {
  chairElected,
  committeeForm,
  ENTERPRISE,
  established,
  metadata,
  NATIONAL,
  SEATED,
  UNION_ID,
} from './union.fixtures';
import { type ActiveUnion, type CommitteeRole } from './union.state';

const spec = deciderSpec(unionDecider);

const install = (result: ApprovedResult, electionId = 'e-new', approvedOn = '2025-03-01') =>
  ({ type: 'InstallElectionResult', metadata, data: { electionId, approvedOn, result } }) as const;

const vacated = (memberId: string): UnionEvent => ({
  type: 'CommitteeSeatVacated',
  data: { unionId: UNION_ID, memberId, cause: 'RESIGNED', decidedOn: '2025-01-01' },
});

describe('committee: installing approved election results (Art. 7, 8, 29)', () => {
  it('seats the committee and starts its term on the approval date', () => {
    spec
      .given([established(), committeeForm()])
      .when(
        install({
          kind: 'COMMITTEE',
          seats: 5,
          memberIds: ['a', 'b', 'c', 'd', 'e'],
          termYears: 5,
        }),
      )
      .then([
        {
          type: 'CommitteeElected',
          data: {
            unionId: UNION_ID,
            electionId: 'e-new',
            seats: 5,
            memberIds: ['a', 'b', 'c', 'd', 'e'],
            termYears: 5,
            termStart: '2025-03-01',
            termEnd: '2030-03-01',
          },
        },
      ]);
  });

  it('needs a committee form and ignores a result it already installed', () => {
    spec
      .given([established()])
      .when(install({ kind: 'COMMITTEE', seats: 3, memberIds: ['a'], termYears: 3 }))
      .thenThrows('COMMITTEE_NOT_THE_GOVERNANCE_FORM', 'Art. 6');
    spec
      .given(SEATED)
      .when(install({ kind: 'CHAIR', memberId: 'm2' }, 'e-chair'))
      .thenNothing();
  });

  it('elects the chair from the committee only', () => {
    spec
      .given(SEATED)
      .when(install({ kind: 'CHAIR', memberId: 'm2' }))
      .thenMatches([{ type: 'ChairElected', data: { memberId: 'm2' } }]);
    spec
      .given(SEATED)
      .when(install({ kind: 'CHAIR', memberId: 'x' }))
      .thenThrows('NOT_COMMITTEE_MEMBER', 'Art. 8');
    spec
      .given([established(), committeeForm()])
      .when(install({ kind: 'CHAIR', memberId: 'x' }))
      .thenThrows('NO_COMMITTEE', 'Art. 8');
    const state = foldEvents(unionDecider, [...SEATED, chairElected('m2')]) as ActiveUnion;
    expect(
      state.committee?.members.filter((s) => s.roles.includes('CHAIR')).map((s) => s.memberId),
    ).toEqual(['m2']);
  });

  it('fills vacancies by by-election, and no more than the vacancies', () => {
    const withVacancy = [...SEATED, vacated('m5')];
    spec
      .given(withVacancy)
      .when(install({ kind: 'BY_ELECTION', memberIds: ['n1'] }))
      .thenMatches([{ type: 'CommitteeVacancyFilled', data: { memberIds: ['n1'] } }]);
    spec
      .given(withVacancy)
      .when(install({ kind: 'BY_ELECTION', memberIds: ['n1', 'n2'] }))
      .thenThrows('BY_ELECTION_EXCEEDS_VACANCIES', 'Art. 8');
    spec
      .given(withVacancy)
      .when(install({ kind: 'BY_ELECTION', memberIds: ['m1'] }))
      .thenThrows('ALREADY_COMMITTEE_MEMBER');
  });

  it('elects group leaders in union groups only (Art. 10)', () => {
    spec
      .given([established('GROUP')])
      .when(install({ kind: 'GROUP_LEADER', memberId: 'g1' }))
      .thenMatches([{ type: 'GroupLeaderElected', data: { memberId: 'g1' } }]);
    spec
      .given([established('TEAM')])
      .when(install({ kind: 'GROUP_LEADER', memberId: 'g1' }))
      .thenThrows('ELECTION_KIND_NOT_FOR_LEVEL', 'Art. 10');
    spec
      .given([established('GROUP')])
      .when(install({ kind: 'COMMITTEE', seats: 3, memberIds: ['a'], termYears: 3 }))
      .thenThrows('GROUP_HAS_NO_COMMITTEE', 'Art. 10');
  });
});

const FULL: AssignCommitteeRoles['data']['assignments'] = [
  { memberId: 'm2', roles: ['VICE_CHAIR', 'ORGANIZATION', 'DEMOCRATIC_MANAGEMENT'] },
  { memberId: 'm3', roles: ['PROPAGANDA_EDUCATION', 'LABOR', 'LIVELIHOOD'] },
  { memberId: 'm4', roles: ['WOMEN_WORKERS'] },
];

const assign = (data: Partial<AssignCommitteeRoles['data']> = {}): AssignCommitteeRoles => ({
  type: 'AssignCommitteeRoles',
  metadata,
  data: {
    assignments: FULL,
    decidedOn: '2025-03-01',
    femaleMembers: 12,
    femaleCommitteeMemberIds: ['m4'],
    settings: ENTERPRISE,
    ...data,
  },
});

const without = (role: CommitteeRole) =>
  FULL.map((a) => ({ ...a, roles: a.roles.filter((r) => r !== role) }));

describe('committee: roles (Art. 8, 13)', () => {
  it('assigns every portfolio, one person holding several, the chair keeping the chair', () => {
    spec
      .given(SEATED)
      .when(assign())
      .then([
        {
          type: 'CommitteeRolesAssigned',
          data: {
            unionId: UNION_ID,
            assignments: [
              { memberId: 'm1', roles: ['CHAIR'] },
              { memberId: 'm2', roles: ['VICE_CHAIR', 'ORGANIZATION', 'DEMOCRATIC_MANAGEMENT'] },
              { memberId: 'm3', roles: ['PROPAGANDA_EDUCATION', 'LABOR', 'LIVELIHOOD'] },
              { memberId: 'm4', roles: ['WOMEN_WORKERS'] },
            ],
            decidedOn: '2025-03-01',
          },
        },
      ]);
  });

  it.each<CommitteeRole>([
    'ORGANIZATION',
    'DEMOCRATIC_MANAGEMENT',
    'PROPAGANDA_EDUCATION',
    'LABOR',
    'LIVELIHOOD',
  ])('needs someone for %s', (role) => {
    const error = spec
      .given(SEATED)
      .when(assign({ assignments: without(role) }))
      .thenThrows('COMMITTEE_ROLE_UNASSIGNED', 'Art. 8');
    expect(error.details).toEqual({ missing: [role] });
  });

  it('gives roles to committee members only, once each', () => {
    spec
      .given(SEATED)
      .when(assign({ assignments: [...FULL, { memberId: 'outsider', roles: ['LABOR'] }] }))
      .thenThrows('NOT_COMMITTEE_MEMBER', 'Art. 8');
    spec
      .given(SEATED)
      .when(assign({ assignments: [...FULL, { memberId: 'm2', roles: ['LABOR'] }] }))
      .thenThrows('DUPLICATE_ROLE_ASSIGNMENT');
    spec.given(SEATED.slice(0, 2)).when(assign()).thenThrows('NO_COMMITTEE');
  });

  it('never assigns the chair: it is elected (Art. 13)', () => {
    spec
      .given(SEATED)
      .when(assign({ assignments: [...FULL, { memberId: 'm5', roles: ['CHAIR'] }] }))
      .thenThrows('CHAIR_MUST_BE_ELECTED', 'Art. 13');
    spec
      .given(SEATED)
      .when(assign({ assignments: [...FULL, { memberId: 'm1', roles: ['CHAIR', 'VICE_CHAIR'] }] }))
      .thenThrows('CHAIR_CANNOT_BE_VICE_CHAIR');
  });
});

describe('committee: women workers (Art. 9)', () => {
  const noWomenWorkers = without('WOMEN_WORKERS');

  it.each([
    ['ENTERPRISE_REGULATION', 24, 'WOMEN_WORKERS_MEMBER_REQUIRED'],
    ['ENTERPRISE_REGULATION', 1, 'WOMEN_WORKERS_MEMBER_REQUIRED'],
    ['ENTERPRISE_REGULATION', 25, null],
    ['ENTERPRISE_REGULATION', 0, null],
    ['NATIONAL', 9, 'WOMEN_WORKERS_MEMBER_REQUIRED'],
    ['NATIONAL', 10, null],
  ] as const)(
    '%s, %i female members, no women workers’ member: %s',
    (preset, femaleMembers, code) => {
      const settings = preset === 'NATIONAL' ? NATIONAL : ENTERPRISE;
      const when = spec
        .given(SEATED)
        .when(assign({ assignments: noWomenWorkers, femaleMembers, settings }));
      if (code) when.thenThrows(code, 'Art. 9');
      else when.thenMatches([{ type: 'CommitteeRolesAssigned' }]);
    },
  );

  it('gives the women workers’ role to a woman on the committee', () => {
    spec
      .given(SEATED)
      .when(assign({ femaleCommitteeMemberIds: ['m2'] }))
      .thenThrows('WOMEN_WORKERS_MEMBER_NOT_FEMALE', 'Art. 9');
  });
});
