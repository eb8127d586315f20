import { deciderSpec } from '@app/testing';
import type { DeclareAutomaticWithdrawal, RecordArrearsEducation } from './member.commands';
import { memberDecider } from './member.decider';
import type { MemberEvent } from './member.events';
import {
  MEMBER_ID,
  RULES,
  TEAM,
  activeMember,
  duesPaid,
  educated,
  meta,
  officer,
} from './member.fixtures';

/**
 * Art. 19(4): 6 consecutive unpaid months (tenant setting) make a candidate; an officer records
 * the education; only then, with the arrears still standing, can the withdrawal be declared.
 * The member joined 2025-01-02; "today" is 2025-07-15, so 2025-01..2025-06 are due.
 */
const spec = deciderSpec(memberDecider);

const educate = (
  decidedOn = '2025-07-15',
  over: Partial<RecordArrearsEducation['data']> = {},
): RecordArrearsEducation => ({
  type: 'RecordArrearsEducation',
  data: { ...officer, decidedOn, note: null, ...over },
  metadata: meta(),
});

const declare = (
  decidedOn = '2025-07-15',
  over: Partial<DeclareAutomaticWithdrawal['data']> = {},
): DeclareAutomaticWithdrawal => ({
  type: 'DeclareAutomaticWithdrawal',
  data: { ...officer, decidedOn, note: null, ...over },
  metadata: meta(),
});

const sixUnpaid = activeMember('2025-01-02');
const fiveUnpaid = [...activeMember('2025-01-02'), duesPaid('2025-01')];

describe('Art. 19(4): arrears education', () => {
  it('5 consecutive unpaid months: not yet a candidate', () => {
    const error = spec
      .given(fiveUnpaid)
      .when(educate())
      .thenThrows('NOT_AN_ARREARS_CANDIDATE', 'Art. 19(4)');
    expect(error.details).toEqual({ unpaidMonths: 5, requiredMonths: 6 });
    expect(error.localised('zh')).toContain('第十九条第（四）项');
  });

  it('6 consecutive unpaid months: the education is recorded with the arrears it addressed', () => {
    spec
      .given(sixUnpaid)
      .when(educate())
      .then([educated('2025-07-15', 6, '2025-01')]);
  });

  it('the current month is not yet due: on 2025-07-01 as on 2025-07-31, June is the last due month', () => {
    spec.given(fiveUnpaid).when(educate('2025-07-01')).thenThrows('NOT_AN_ARREARS_CANDIDATE');
  });

  it('a paid month in the middle breaks the streak', () => {
    spec
      .given([...sixUnpaid, duesPaid('2025-03')])
      .when(educate())
      .thenThrows('NOT_AN_ARREARS_CANDIDATE');
  });

  it('the threshold is the tenant setting', () => {
    const rules = { ...RULES, arrearsMonths: 3 };
    spec
      .given([...sixUnpaid, duesPaid('2025-03')])
      .when(educate('2025-07-15', { rules }))
      .then([educated('2025-07-15', 3, '2025-04')]);
  });

  it('a member exempt from dues is never a candidate', () => {
    const exempt: MemberEvent = {
      type: 'InternalRetirementStarted',
      data: {
        memberId: MEMBER_ID,
        unionId: TEAM,
        startedOn: '2025-07-01',
        duesExemptFrom: '2025-07',
        note: null,
      },
    };
    spec
      .given([...sixUnpaid, exempt])
      .when(educate())
      .thenThrows('NOT_AN_ARREARS_CANDIDATE');
  });

  it('needs an officer of the member union', () => {
    spec
      .given(sixUnpaid)
      .when(educate('2025-07-15', { actsForUnionIds: ['team-9'] }))
      .thenThrows('NOT_AUTHORISED_FOR_UNION', 'Art. 19(4)');
  });
});

describe('Art. 19(4): declaring the automatic withdrawal', () => {
  it('is refused without a recorded education, however long the arrears', () => {
    spec.given(sixUnpaid).when(declare()).thenThrows('ARREARS_EDUCATION_REQUIRED', 'Art. 19(4)');
  });

  it('is accepted after the education when the arrears still stand on the decision date', () => {
    spec
      .given([...sixUnpaid, educated('2025-07-10', 6, '2025-01')])
      .when(declare('2025-07-15'))
      .then([
        {
          type: 'AutomaticWithdrawalDeclared',
          data: {
            memberId: MEMBER_ID,
            unionId: TEAM,
            decidedOn: '2025-07-15',
            educatedOn: '2025-07-10',
            unpaidMonths: 6,
            unpaidSince: '2025-01',
            note: null,
          },
        },
      ]);
  });

  it('may be declared on the day of the education, not before it', () => {
    spec
      .given([...sixUnpaid, educated('2025-07-10', 6, '2025-01')])
      .when(declare('2025-07-10'))
      .thenMatches([{ type: 'AutomaticWithdrawalDeclared' }]);
    spec
      .given([...sixUnpaid, educated('2025-07-10', 6, '2025-01')])
      .when(declare('2025-07-09'))
      .thenThrows('DATE_OUT_OF_ORDER');
  });

  it('is refused when the arrears were cleared between education and decision', () => {
    spec
      .given([...sixUnpaid, educated('2025-07-10', 6, '2025-01'), duesPaid('2025-06')])
      .when(declare('2025-07-15'))
      .thenThrows('ARREARS_NO_LONGER_STAND', 'Art. 19(4)');
  });

  it('is refused when the member paid after the education, even if enough months stay unpaid', () => {
    const olderMember = activeMember('2024-10-02');
    spec
      .given([...olderMember, educated('2025-07-10', 9, '2024-10'), duesPaid('2024-10')])
      .when(declare('2025-07-15'))
      .thenThrows('ARREARS_NO_LONGER_STAND');
  });

  it('is accepted after a correction of an older period: a correction is not a new payment', () => {
    const correction: MemberEvent = {
      type: 'DuesPaymentCorrected',
      data: {
        memberId: MEMBER_ID,
        unionId: TEAM,
        period: '2024-12',
        wageBaseFen: 1,
        expectedFen: 0,
        amountFen: 0,
        previousAmountFen: 0,
        correctedOn: '2025-07-12',
        reason: 'x',
      },
    };
    spec
      .given([...sixUnpaid, educated('2025-07-10', 6, '2025-01'), correction])
      .when(declare('2025-07-15'))
      .thenMatches([{ type: 'AutomaticWithdrawalDeclared' }]);
  });

  it('ends the membership: no further dues, no second declaration', () => {
    const given = [...sixUnpaid, educated('2025-07-10', 6, '2025-01')];
    const events = memberDecider.decide(
      declare(),
      given.reduce(memberDecider.evolve, memberDecider.initialState()),
    );
    spec
      .given([...given, ...events])
      .when(declare())
      .thenThrows('MEMBERSHIP_ENDED');
  });
});
