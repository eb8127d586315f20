import { deciderSpec } from '@app/testing';
import type { MemberEvent } from './member.events';
import type { CorrectDuesPayment, RecordDuesPayment } from './member.commands';
import { memberDecider } from './member.decider';
import {
  MEMBER_ID,
  TEAM,
  activeMember,
  duesPaid,
  meta,
  officer,
  retained,
} from './member.fixtures';
import { duesPaymentFacts } from './member-dues.rules';
import { foldEvents } from '@app/core';

const spec = deciderSpec(memberDecider);

const pay = (over: Partial<RecordDuesPayment['data']> = {}): RecordDuesPayment => ({
  type: 'RecordDuesPayment',
  data: {
    ...officer,
    period: '2025-06',
    wageBaseFen: 567890,
    amountFen: null,
    paidOn: '2025-07-10',
    ...over,
  },
  metadata: meta(),
});

const correct = (over: Partial<CorrectDuesPayment['data']> = {}): CorrectDuesPayment => ({
  type: 'CorrectDuesPayment',
  data: {
    ...officer,
    period: '2025-06',
    wageBaseFen: 600000,
    amountFen: null,
    correctedOn: '2025-07-12',
    reason: '工资基数录入错误',
    ...over,
  },
  metadata: meta(),
});

const paidEvent = (
  over: Partial<Extract<MemberEvent, { type: 'DuesPaid' }>['data']>,
): MemberEvent => ({
  type: 'DuesPaid',
  data: {
    memberId: MEMBER_ID,
    unionId: TEAM,
    period: '2025-06',
    wageBaseFen: 567890,
    expectedFen: 2835,
    amountFen: 2835,
    paidOn: '2025-07-10',
    source: 'PAYMENT',
    ...over,
  },
});

describe('recordDuesPayment', () => {
  it('records 0.5 % of the floored base: CNY 5,678.90 → 5,670 → 28.35', () => {
    spec
      .given(activeMember())
      .when(pay())
      .then([paidEvent({})]);
  });

  it('drops the 9.99 yuan tail: CNY 3,459.99 → 3,450 → 17.25 = 1725 fen', () => {
    spec
      .given(activeMember())
      .when(pay({ wageBaseFen: 345999 }))
      .thenMatches([{ type: 'DuesPaid', data: { expectedFen: 1725, amountFen: 1725 } }]);
  });

  it('accepts the exact expected amount and refuses a different one', () => {
    spec
      .given(activeMember())
      .when(pay({ amountFen: 2835 }))
      .thenMatches([{ type: 'DuesPaid' }]);
    spec
      .given(activeMember())
      .when(pay({ amountFen: 2836 }))
      .thenThrows('DUES_AMOUNT_MISMATCH', 'Art. 19');
  });

  it('uses the tenant rate and base step from the command', () => {
    const rules = { ...officer.rules, dues: { rateBasisPoints: 100, baseStepFen: 10000 } };
    spec
      .given(activeMember())
      .when(pay({ rules, wageBaseFen: 567890 }))
      .thenMatches([{ type: 'DuesPaid', data: { expectedFen: 5600 } }]);
  });

  it('accepts the current month and refuses next month', () => {
    spec
      .given(activeMember())
      .when(pay({ period: '2025-07' }))
      .thenMatches([{ type: 'DuesPaid' }]);
    spec
      .given(activeMember())
      .when(pay({ period: '2025-08' }))
      .thenThrows('PERIOD_IN_FUTURE');
  });

  it('accepts the joining month and refuses the month before joining', () => {
    spec
      .given(activeMember('2025-01-02'))
      .when(pay({ period: '2025-01' }))
      .thenMatches([{ type: 'DuesPaid' }]);
    spec
      .given(activeMember('2025-01-02'))
      .when(pay({ period: '2024-12' }))
      .thenThrows('PERIOD_BEFORE_JOINING');
  });

  it('refuses a malformed period and a negative or fractional base', () => {
    spec
      .given(activeMember())
      .when(pay({ period: '2025-13' }))
      .thenThrows('INVALID_PERIOD');
    spec
      .given(activeMember())
      .when(pay({ wageBaseFen: -1 }))
      .thenThrows('INVALID_WAGE_BASE');
    spec
      .given(activeMember())
      .when(pay({ wageBaseFen: 100.5 }))
      .thenThrows('INVALID_WAGE_BASE');
  });

  it('refuses to record the same period twice', () => {
    spec
      .given([...activeMember(), duesPaid('2025-06')])
      .when(pay())
      .thenThrows('DUES_ALREADY_PAID');
  });

  it('refuses dues for a WITHDRAWN member', () => {
    const withdrew: MemberEvent = {
      type: 'MemberWithdrew',
      data: {
        memberId: MEMBER_ID,
        unionId: TEAM,
        withdrawnOn: '2025-03-01',
        cardReturned: true,
        note: null,
      },
    };
    spec
      .given([...activeMember(), withdrew])
      .when(pay({ period: '2025-02' }))
      .thenThrows('MEMBERSHIP_ENDED');
  });

  it('refuses dues before approval', () => {
    spec.given(activeMember().slice(0, 1)).when(pay()).thenThrows('MEMBERSHIP_NOT_APPROVED');
  });

  it('cannot charge a RETAINED member', () => {
    spec
      .given([...activeMember(), retained('2025-05-10')])
      .when(pay())
      .thenThrows('DUES_EXEMPT', 'Art. 19(6)');
  });

  it('cannot charge a member in internal early retirement from its first month; earlier months stay payable', () => {
    const started: MemberEvent = {
      type: 'InternalRetirementStarted',
      data: {
        memberId: MEMBER_ID,
        unionId: TEAM,
        startedOn: '2025-06-01',
        duesExemptFrom: '2025-06',
        note: null,
      },
    };
    spec
      .given([...activeMember(), started])
      .when(pay({ period: '2025-06' }))
      .thenThrows('DUES_EXEMPT', 'Art. 19(6)');
    spec
      .given([...activeMember(), started])
      .when(pay({ period: '2025-05' }))
      .thenMatches([{ type: 'DuesPaid' }]);
  });

  it('needs an officer of the member union or above', () => {
    spec
      .given(activeMember())
      .when(pay({ actsForUnionIds: ['team-9'] }))
      .thenThrows('NOT_AUTHORISED_FOR_UNION');
  });
});

describe('correctDuesPayment', () => {
  it('re-records a paid period with the corrected base', () => {
    spec
      .given([...activeMember(), duesPaid('2025-06')])
      .when(correct())
      .then([
        {
          type: 'DuesPaymentCorrected',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            period: '2025-06',
            wageBaseFen: 600000,
            expectedFen: 3000,
            amountFen: 3000,
            previousAmountFen: 2835,
            correctedOn: '2025-07-12',
            reason: '工资基数录入错误',
          },
        },
      ]);
  });

  it('has nothing to correct in an unpaid period', () => {
    spec.given(activeMember()).when(correct()).thenThrows('DUES_NOT_PAID');
  });

  it('needs a reason', () => {
    spec
      .given([...activeMember(), duesPaid('2025-06')])
      .when(correct({ reason: ' ' }))
      .thenThrows('INVALID_MEMBER_INPUT');
  });
});

describe('duesPaymentFacts: the compact state a payroll import reads', () => {
  it('describes members, applicants, ended and unknown members', () => {
    const state = foldEvents(memberDecider, [...activeMember(), duesPaid('2025-06')]);
    expect(duesPaymentFacts(state, '2025-06')).toEqual({
      standing: 'MEMBER',
      joinedPeriod: '2025-01',
      exemptFrom: null,
      periodAlreadyPaid: true,
    });
    expect(duesPaymentFacts(state, '2025-05')?.periodAlreadyPaid).toBe(false);
    expect(duesPaymentFacts(memberDecider.initialState(), '2025-06')).toBeNull();
    expect(
      duesPaymentFacts(foldEvents(memberDecider, activeMember().slice(0, 1)), '2025-06')?.standing,
    ).toBe('NOT_APPROVED');
  });
});
