import { deciderSpec } from '@app/testing';
import type { ApplyForMembership, ImportMember } from './member.commands';
import { memberDecider } from './member.decider';
import {
  MEMBER_ID,
  PARENT,
  RULES,
  TEAM,
  activeMember,
  applied,
  approved,
  meta,
  officer,
} from './member.fixtures';

const spec = deciderSpec(memberDecider);

const application = (over: Partial<ApplyForMembership['data']> = {}): ApplyForMembership => ({
  type: 'ApplyForMembership',
  data: {
    memberId: MEMBER_ID,
    union: { unionId: TEAM, level: 'TEAM', status: 'ACTIVE' },
    name: ' 王芳 ',
    gender: 'FEMALE',
    employeeNo: 'E-1001',
    nationalId: { ciphertext: 'c1', keyId: 'k1' },
    phone: null,
    appliedOn: '2024-12-20',
    employeeNoInUse: false,
    rules: RULES,
    ...over,
  },
  metadata: meta(),
});

const importRow = (over: Partial<ImportMember['data']> = {}): ImportMember => ({
  type: 'ImportMember',
  data: {
    ...officer,
    memberId: MEMBER_ID,
    union: { unionId: TEAM, level: 'TEAM', status: 'ACTIVE' },
    name: '李强',
    gender: 'MALE',
    employeeNo: 'E-2002',
    nationalId: null,
    phone: null,
    joinedOn: '2003-04-01',
    cardNumber: 'OLD-778',
    cardNumberGenerated: false,
    cardNumberInUse: false,
    employeeNoInUse: false,
    status: 'ACTIVE',
    duesExempt: false,
    duesPaidThrough: null,
    importedOn: '2025-07-10',
    ...over,
  },
  metadata: meta(),
});

describe('Art. 19(1)(2): applying and approval', () => {
  it('records an application at a grassroots union, personal data only as ciphertext', () => {
    spec
      .given([])
      .when(application())
      .then([applied('2024-12-20')]);
  });

  it('never records ethnicity, religion, position or education, even if a caller sends them', () => {
    const command = application();
    const smuggled = {
      ...command,
      data: { ...command.data, ethnicity: '汉', religion: 'x', position: 'y', education: 'z' },
    } as ApplyForMembership;
    const [event] = memberDecider.decide(smuggled, memberDecider.initialState());
    expect(Object.keys(event?.data ?? {}).sort()).toEqual(
      [
        'appliedOn',
        'employeeNo',
        'gender',
        'memberId',
        'name',
        'nationalId',
        'phone',
        'unionId',
      ].sort(),
    );
  });

  it.each(['BRIGADE', 'TEAM'] as const)('accepts a %s union', (level) => {
    spec
      .given([])
      .when(application({ union: { unionId: TEAM, level, status: 'ACTIVE' } }))
      .thenMatches([{ type: 'MembershipApplied' }]);
  });

  it.each(['COMPANY', 'SECONDARY_UNIT', 'GROUP'] as const)('refuses a %s union', (level) => {
    spec
      .given([])
      .when(application({ union: { unionId: TEAM, level, status: 'ACTIVE' } }))
      .thenThrows('NOT_A_GRASSROOTS_UNION', 'Art. 19(2)');
  });

  it('refuses a union that is not active', () => {
    spec
      .given([])
      .when(application({ union: { unionId: TEAM, level: 'TEAM', status: 'DISSOLVED' } }))
      .thenThrows('UNION_NOT_ACTIVE', 'Art. 19(2)');
  });

  it('refuses an employee number used by a current membership', () => {
    spec
      .given([])
      .when(application({ employeeNoInUse: true }))
      .thenThrows('EMPLOYEE_NUMBER_IN_USE', 'Art. 19(1)');
  });

  it('refuses a blank name and an application dated tomorrow', () => {
    spec
      .given([])
      .when(application({ name: '  ' }))
      .thenThrows('INVALID_MEMBER_INPUT');
    spec
      .given([])
      .when(application({ appliedOn: '2025-07-15' }))
      .thenMatches([{ type: 'MembershipApplied' }]);
    spec
      .given([])
      .when(application({ appliedOn: '2025-07-16' }))
      .thenThrows('DATE_IN_FUTURE');
  });

  it('does not apply twice on the same stream', () => {
    spec.given([applied()]).when(application()).thenThrows('MEMBER_ALREADY_EXISTS', 'Art. 19(2)');
  });

  const approve = (over: Record<string, unknown> = {}) => ({
    type: 'ApproveMembership' as const,
    data: {
      ...officer,
      cardNumber: 'C-0001',
      cardNumberGenerated: false,
      cardNumberInUse: false,
      decidedOn: '2025-01-02',
      ...over,
    },
    metadata: meta(),
  });

  it('approves with a given card number; joining date is the decision date', () => {
    spec
      .given([applied()])
      .when(approve())
      .then([approved('2025-01-02')]);
  });

  it('approves with a number the handler generated', () => {
    spec
      .given([applied()])
      .when(approve({ cardNumber: 'T1-2025-000042', cardNumberGenerated: true }))
      .thenMatches([{ type: 'MembershipApproved', data: { cardNumberGenerated: true } }]);
  });

  it('refuses a card number already issued, and an approval outside the committee', () => {
    spec
      .given([applied()])
      .when(approve({ cardNumberInUse: true }))
      .thenThrows('CARD_NUMBER_IN_USE');
    spec
      .given([applied()])
      .when(approve({ actsForUnionIds: ['team-9'] }))
      .thenThrows('NOT_AUTHORISED_FOR_UNION', 'Art. 19(2)');
  });

  it('refuses a decision before the application', () => {
    spec
      .given([applied('2024-12-20')])
      .when(approve({ decidedOn: '2024-12-19' }))
      .thenThrows('DATE_OUT_OF_ORDER');
  });

  it('cannot approve twice or decide on a member that does not exist', () => {
    spec.given(activeMember()).when(approve()).thenThrows('MEMBERSHIP_NOT_PENDING');
    spec.given([]).when(approve()).thenThrows('MEMBER_NOT_FOUND');
  });

  it('rejects an application, after which nothing else is possible', () => {
    const reject = {
      type: 'RejectMembership' as const,
      data: { ...officer, decidedOn: '2025-01-03', note: ' 非本企业在册职工 ' },
      metadata: meta(),
    };
    spec
      .given([applied()])
      .when(reject)
      .then([
        {
          type: 'MembershipRejected',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            rejectedOn: '2025-01-03',
            note: '非本企业在册职工',
          },
        },
      ]);
    const rejected = memberDecider.decide(
      reject,
      memberDecider.evolve(memberDecider.initialState(), applied()),
    );
    spec
      .given([applied(), ...rejected])
      .when(approve())
      .thenThrows('MEMBERSHIP_ENDED');
  });
});

describe('MemberImported: onboarding an existing roll (issue 9)', () => {
  it('imports an ACTIVE member with their old card number; arrears count from the import month', () => {
    spec
      .given([])
      .when(importRow())
      .thenMatches([
        {
          type: 'MemberImported',
          data: {
            status: 'ACTIVE',
            cardNumber: 'OLD-778',
            joinedOn: '2003-04-01',
            duesLiableFrom: '2025-07',
            duesExempt: false,
          },
        },
      ]);
  });

  it('counts arrears from the month after the dues the old registry settled', () => {
    spec
      .given([])
      .when(importRow({ duesPaidThrough: '2025-05' }))
      .thenMatches([{ type: 'MemberImported', data: { duesLiableFrom: '2025-06' } }]);
  });

  it('imports RETAINED members as dues exempt', () => {
    spec
      .given([])
      .when(importRow({ status: 'RETAINED' }))
      .thenMatches([{ type: 'MemberImported', data: { status: 'RETAINED', duesExempt: true } }]);
  });

  it.each(['WITHDRAWN', 'APPLIED', 'EXPELLED'] as const)('refuses to import a %s row', (status) => {
    spec.given([]).when(importRow({ status })).thenThrows('INVALID_IMPORT_STATUS');
  });

  it('refuses a joining date in the future and a card number in use', () => {
    spec
      .given([])
      .when(importRow({ joinedOn: '2025-07-16' }))
      .thenThrows('DATE_IN_FUTURE');
    spec
      .given([])
      .when(importRow({ cardNumberInUse: true }))
      .thenThrows('CARD_NUMBER_IN_USE');
  });

  it('refuses to import into a stream that already holds a member', () => {
    spec.given(activeMember()).when(importRow()).thenThrows('MEMBER_ALREADY_EXISTS');
  });

  it('needs an officer of the union or above', () => {
    spec
      .given([])
      .when(importRow({ actsForUnionIds: [PARENT] }))
      .thenThrows('NOT_AUTHORISED_FOR_UNION');
  });
});
