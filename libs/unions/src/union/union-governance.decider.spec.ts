import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import type { DissolveUnion, MemberLookup, SetGovernanceForm, UnionLookup } from './union.commands';
import { unionDecider } from './union.decider';
import type { UnionEvent } from './union.events';
import {
  COMPANY_ID,
  ENTERPRISE,
  established,
  metadata,
  NATIONAL,
  PARENT_ID,
  SEATED,
  UNION_ID,
} from './union.fixtures';
import type { GovernanceForm, UnionLevel } from './union.state';

const spec = deciderSpec(unionDecider);

function setForm(
  form: GovernanceForm,
  data: Partial<SetGovernanceForm['data']> = {},
): SetGovernanceForm {
  return {
    type: 'SetGovernanceForm',
    metadata,
    data: {
      form,
      jointWith: [],
      organizer: null,
      activeMembers: 20,
      effectiveOn: '2024-02-01',
      settings: ENTERPRISE,
      ...data,
    },
  };
}

const activeMember: MemberLookup = { memberId: 'm9', status: 'ACTIVE', unionId: UNION_ID };
const otherTeam = (
  unionId = 'u-team-2',
  status: 'ACTIVE' | 'DISSOLVED' = 'ACTIVE',
  level: UnionLevel = 'TEAM',
): UnionLookup => ({
  unionId,
  status,
  level,
});

describe('union: governance form (Art. 6)', () => {
  it.each([
    [24, 'ORGANIZER', { organizer: activeMember }],
    [24, 'JOINT_COMMITTEE', { jointWith: [otherTeam()] }],
    [24, 'COMMITTEE', {}],
    [25, 'COMMITTEE', {}],
    [26, 'COMMITTEE', {}],
  ] as const)('%i members may choose %s', (activeMembers, form, extra) => {
    spec
      .given([established()])
      .when(setForm(form, { activeMembers, ...extra }))
      .thenMatches([{ type: 'GovernanceFormSet', data: { form, activeMembers } }]);
  });

  it.each([
    [25, 'ORGANIZER', { organizer: activeMember }],
    [25, 'JOINT_COMMITTEE', { jointWith: [otherTeam()] }],
    [26, 'ORGANIZER', { organizer: activeMember }],
  ] as const)('%i members may not choose %s', (activeMembers, form, extra) => {
    spec
      .given([established()])
      .when(setForm(form, { activeMembers, ...extra }))
      .thenThrows('COMMITTEE_REQUIRED', 'Art. 6');
  });

  it('takes the threshold from the settings in force', () => {
    const raised = { ...NATIONAL, committeeRequiredAtMembers: 30 };
    spec
      .given([established()])
      .when(setForm('ORGANIZER', { activeMembers: 29, organizer: activeMember, settings: raised }))
      .thenMatches([{ type: 'GovernanceFormSet' }]);
  });

  it('forms a joint committee with other active grassroots unions only', () => {
    const invalid = (unit: UnionLookup, problem: string) => {
      const error = spec
        .given([established()])
        .when(setForm('JOINT_COMMITTEE', { jointWith: [unit] }))
        .thenThrows('JOINT_UNIT_INVALID', 'Art. 6');
      expect(error.details).toMatchObject({ problem });
    };
    invalid({ unionId: 'u-x', status: 'NOT_FOUND' }, 'NOT_FOUND');
    invalid(otherTeam('u-x', 'DISSOLVED'), 'NOT_ACTIVE');
    invalid(otherTeam('u-x', 'ACTIVE', 'GROUP'), 'NOT_GRASSROOTS');
    invalid(otherTeam(UNION_ID), 'REPEATED');
    spec
      .given([established()])
      .when(setForm('JOINT_COMMITTEE', { jointWith: [] }))
      .thenThrows('JOINT_COMMITTEE_TOO_FEW_UNITS', 'Art. 6');
    spec
      .given([established()])
      .when(
        setForm('JOINT_COMMITTEE', {
          jointWith: [otherTeam('u-a'), otherTeam('u-b', 'ACTIVE', 'BRIGADE')],
        }),
      )
      .thenMatches([{ type: 'GovernanceFormSet', data: { jointWithUnionIds: ['u-a', 'u-b'] } }]);
  });

  it('elects an organiser who is an active member of this union', () => {
    spec
      .given([established()])
      .when(setForm('ORGANIZER', { organizer: activeMember }))
      .thenMatches([{ type: 'GovernanceFormSet', data: { organizerMemberId: 'm9' } }]);
    for (const organizer of [
      null,
      { ...activeMember, status: 'RETAINED' },
      { ...activeMember, unionId: 'u-elsewhere' },
      { memberId: 'm9', status: 'NOT_FOUND' },
    ] as const) {
      spec
        .given([established()])
        .when(setForm('ORGANIZER', { organizer }))
        .thenThrows('ORGANIZER_NOT_ACTIVE_MEMBER', 'Art. 6');
    }
  });

  it('lets only grassroots unions choose a joint committee or an organiser', () => {
    spec
      .given([established('SECONDARY_UNIT')])
      .when(setForm('ORGANIZER', { organizer: activeMember }))
      .thenThrows('GOVERNANCE_FORM_NOT_ALLOWED', 'Art. 6');
    spec
      .given([established('SECONDARY_UNIT')])
      .when(setForm('COMMITTEE'))
      .thenMatches([{ type: 'GovernanceFormSet' }]);
    spec.given([established()]).when(setForm('NONE')).thenThrows('GOVERNANCE_FORM_NOT_ALLOWED');
  });

  it('gives a union group no committee (Art. 10)', () => {
    spec
      .given([established('GROUP')])
      .when(setForm('COMMITTEE'))
      .thenThrows('GROUP_HAS_NO_COMMITTEE', 'Art. 10');
  });

  it('ends the committee and its term when an organiser takes over', () => {
    const state = foldEvents(unionDecider, [
      ...SEATED,
      {
        type: 'GovernanceFormSet',
        data: {
          unionId: UNION_ID,
          form: 'ORGANIZER',
          jointWithUnionIds: [],
          organizerMemberId: 'm9',
          activeMembers: 20,
          effectiveOn: '2025-01-01',
        },
      },
    ]);
    expect(state).toMatchObject({
      status: 'ACTIVE',
      committee: null,
      term: null,
      governance: { form: 'ORGANIZER', organizerMemberId: 'm9' },
    });
  });
});

describe('union: dissolution (Art. 11)', () => {
  const dissolve = (data: Partial<DissolveUnion['data']> = {}): DissolveUnion => ({
    type: 'DissolveUnion',
    metadata,
    data: {
      reason: 'UNIT_REVOKED',
      adminDecisionRef: 'HR-2025-17',
      dissolvedOn: '2025-02-01',
      activeMembers: 0,
      activeChildUnions: 0,
      ...data,
    },
  });

  it('follows the termination or revocation of the unit and is filed with the parent', () => {
    spec
      .given([established()])
      .when(dissolve())
      .then([
        {
          type: 'UnionDissolved',
          data: {
            unionId: UNION_ID,
            reason: 'UNIT_REVOKED',
            adminDecisionRef: 'HR-2025-17',
            filedWithUnionId: PARENT_ID,
            dissolvedOn: '2025-02-01',
          },
        },
      ]);
    spec
      .given([established()])
      .when(dissolve({ reason: 'UNIT_TERMINATED' }))
      .thenMatches([{ type: 'UnionDissolved' }]);
  });

  it('allows no other reason, merger included', () => {
    spec
      .given([established()])
      .when(dissolve({ reason: 'MERGER' }))
      .thenThrows('DISSOLUTION_REASON_NOT_ALLOWED', 'Art. 11');
    spec
      .given([established()])
      .when(dissolve({ adminDecisionRef: ' ' }))
      .thenThrows('DISSOLUTION_REQUIRES_ADMIN_DECISION', 'Art. 11');
  });

  it('waits until no active member is left', () => {
    spec
      .given([established()])
      .when(dissolve({ activeMembers: 1 }))
      .thenThrows('UNION_HAS_ACTIVE_MEMBERS', 'Art. 11');
  });

  it('waits until no active child union is left', () => {
    spec
      .given([established('BRIGADE')])
      .when(dissolve({ activeChildUnions: 1 }))
      .thenThrows('UNION_HAS_ACTIVE_CHILD_UNIONS', 'Art. 11');
  });

  it('never dissolves the company union, nor twice', () => {
    spec
      .given([established('COMPANY', COMPANY_ID, null)])
      .when(dissolve())
      .thenThrows('ROOT_UNION_CANNOT_BE_DISSOLVED', 'Art. 11');
    const dissolved: UnionEvent = {
      type: 'UnionDissolved',
      data: {
        unionId: UNION_ID,
        reason: 'UNIT_REVOKED',
        adminDecisionRef: 'x',
        filedWithUnionId: PARENT_ID,
        dissolvedOn: '2025-02-01',
      },
    };
    spec.given([established(), dissolved]).when(dissolve()).thenThrows('UNION_ALREADY_DISSOLVED');
    spec
      .given([established(), dissolved])
      .when(setForm('COMMITTEE'))
      .thenThrows('UNION_NOT_ACTIVE');
  });

  it('cannot be dated before the union existed', () => {
    spec
      .given([established()])
      .when(dissolve({ dissolvedOn: '2024-01-09' }))
      .thenThrows('DATE_OUT_OF_ORDER');
  });
});
