import { foldEvents } from '@app/core';
import { deciderSpec } from '@app/testing';
import type { ExpelMember, MemberCommand, WithdrawMember } from './member.commands';
import { memberDecider } from './member.decider';
import type { MemberEvent } from './member.events';
import { memberRights } from './member.state';
import {
  MEMBER_ID,
  PARENT,
  TEAM,
  activeMember,
  meta,
  officer,
  retained,
  transferStarted,
} from './member.fixtures';

const spec = deciderSpec(memberDecider);

const withdraw = (over: Partial<WithdrawMember['data']> = {}): WithdrawMember => ({
  type: 'WithdrawMember',
  data: { ...officer, decidedOn: '2025-07-01', cardReturned: false, note: null, ...over },
  metadata: meta(),
});

const expel = (over: Partial<ExpelMember['data']> = {}): ExpelMember => ({
  type: 'ExpelMember',
  data: {
    ...officer,
    criminalSanctionRef: '(2025)黑0602刑初123号',
    committeeDecisionRef: '工委〔2025〕7号',
    decidedOn: '2025-07-02',
    parentUnionId: PARENT,
    ...over,
  },
  metadata: meta(),
});

const decision = <T extends 'StartInternalRetirement' | 'RetainMembership'>(
  type: T,
  decidedOn: string,
) =>
  (type === 'RetainMembership'
    ? { type, data: { ...officer, decidedOn, reason: 'RETIREMENT', note: null }, metadata: meta() }
    : { type, data: { ...officer, decidedOn, note: null }, metadata: meta() }) as Extract<
    MemberCommand,
    { type: T }
  >;

describe('Art. 19(4): voluntary withdrawal', () => {
  it('is announced by the committee, recording whether the card came back', () => {
    spec
      .given(activeMember())
      .when(withdraw())
      .then([
        {
          type: 'MemberWithdrew',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            withdrawnOn: '2025-07-01',
            cardReturned: false,
            note: null,
          },
        },
      ]);
  });

  it('is open to a RETAINED member too', () => {
    spec
      .given([...activeMember(), retained()])
      .when(withdraw())
      .thenMatches([{ type: 'MemberWithdrew' }]);
  });

  it('waits for an open transfer to be completed or rejected', () => {
    spec
      .given([...activeMember(), transferStarted()])
      .when(withdraw())
      .thenThrows('TRANSFER_IN_PROGRESS', 'Art. 19(3)');
  });

  it('is not possible for an applicant, nor twice', () => {
    spec.given(activeMember().slice(0, 1)).when(withdraw()).thenThrows('MEMBERSHIP_NOT_APPROVED');
    const events = memberDecider.decide(withdraw(), foldEvents(memberDecider, activeMember()));
    spec
      .given([...activeMember(), ...events])
      .when(withdraw())
      .thenThrows('MEMBERSHIP_ENDED');
  });
});

describe('Art. 19(5): expulsion', () => {
  it('needs a criminal sanction and a committee decision, and is filed with the parent union', () => {
    spec
      .given(activeMember())
      .when(expel())
      .then([
        {
          type: 'MemberExpelled',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            expelledOn: '2025-07-02',
            criminalSanctionRef: '(2025)黑0602刑初123号',
            committeeDecisionRef: '工委〔2025〕7号',
            filedWithUnionId: PARENT,
          },
        },
      ]);
  });

  it('is refused without a criminal sanction reference', () => {
    spec
      .given(activeMember())
      .when(expel({ criminalSanctionRef: '  ' }))
      .thenThrows('CRIMINAL_SANCTION_REQUIRED', 'Art. 19(5)');
  });

  it('is refused without a committee decision reference', () => {
    spec
      .given(activeMember())
      .when(expel({ committeeDecisionRef: '' }))
      .thenThrows('COMMITTEE_DECISION_REQUIRED', 'Art. 19(5)');
  });

  it('is decided by the committee of the member union or above', () => {
    spec
      .given(activeMember())
      .when(expel({ actsForUnionIds: ['team-9'] }))
      .thenThrows('NOT_AUTHORISED_FOR_UNION', 'Art. 19(5)');
  });

  it('ends the membership', () => {
    const events = memberDecider.decide(expel(), foldEvents(memberDecider, activeMember()));
    const state = foldEvents(memberDecider, [...activeMember(), ...events]);
    expect(state.status).toBe('EXPELLED');
    expect(memberRights(state).isMember).toBe(false);
  });
});

describe('Art. 19(6): internal early retirement and retained membership', () => {
  it('internal retirement keeps membership and vote, exempt from dues from its month', () => {
    spec
      .given(activeMember())
      .when(decision('StartInternalRetirement', '2025-06-20'))
      .then([
        {
          type: 'InternalRetirementStarted',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            startedOn: '2025-06-20',
            duesExemptFrom: '2025-06',
            note: null,
          },
        },
      ]);
    const events = memberDecider.decide(
      decision('StartInternalRetirement', '2025-06-20'),
      foldEvents(memberDecider, activeMember()),
    );
    const state = foldEvents(memberDecider, [...activeMember(), ...events]);
    expect(memberRights(state)).toEqual({
      isMember: true,
      canVote: true,
      canStandForElection: true,
      owesDues: false,
    });
  });

  it('cannot start internal retirement twice', () => {
    const started: MemberEvent = {
      type: 'InternalRetirementStarted',
      data: {
        memberId: MEMBER_ID,
        unionId: TEAM,
        startedOn: '2025-06-20',
        duesExemptFrom: '2025-06',
        note: null,
      },
    };
    spec
      .given([...activeMember(), started])
      .when(decision('StartInternalRetirement', '2025-07-01'))
      .thenThrows('ALREADY_IN_INTERNAL_RETIREMENT', 'Art. 19(6)');
  });

  it('retained membership: still on the roll, no dues, no vote, no candidacy', () => {
    spec
      .given(activeMember())
      .when(decision('RetainMembership', '2025-05-10'))
      .then([retained('2025-05-10')]);
    const state = foldEvents(memberDecider, [...activeMember(), retained()]);
    expect(state.status).toBe('RETAINED');
    expect(memberRights(state)).toEqual({
      isMember: true,
      canVote: false,
      canStandForElection: false,
      owesDues: false,
    });
  });

  it('a member in internal retirement keeps the exemption month when retained', () => {
    const started: MemberEvent = {
      type: 'InternalRetirementStarted',
      data: {
        memberId: MEMBER_ID,
        unionId: TEAM,
        startedOn: '2025-03-20',
        duesExemptFrom: '2025-03',
        note: null,
      },
    };
    spec
      .given([...activeMember(), started])
      .when(decision('RetainMembership', '2025-06-30'))
      .thenMatches([{ type: 'MembershipRetained', data: { duesExemptFrom: '2025-03' } }]);
  });

  it('a RETAINED member cannot be retained again, go on internal retirement, or transfer', () => {
    const given = [...activeMember(), retained()];
    spec
      .given(given)
      .when(decision('RetainMembership', '2025-07-01'))
      .thenThrows('MEMBERSHIP_RETAINED', 'Art. 19(6)');
    spec
      .given(given)
      .when(decision('StartInternalRetirement', '2025-07-01'))
      .thenThrows('MEMBERSHIP_RETAINED');
    spec
      .given(given)
      .when({
        type: 'StartMemberTransfer',
        data: {
          rules: officer.rules,
          transferId: 't',
          toUnionId: 'team-2',
          toExternal: null,
          requestedOn: '2025-07-01',
        },
        metadata: meta(),
      })
      .thenThrows('MEMBERSHIP_RETAINED');
  });

  it('an ACTIVE member votes and owes dues', () => {
    expect(memberRights(foldEvents(memberDecider, activeMember()))).toEqual({
      isMember: true,
      canVote: true,
      canStandForElection: true,
      owesDues: true,
    });
  });
});
