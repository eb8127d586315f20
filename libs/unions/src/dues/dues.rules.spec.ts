import fc from 'fast-check';
import {
  MAX_WAGE_BASE_FEN,
  NATIONAL_DUES_RULES,
  checkDuesPayment,
  expectedDuesFen,
  flooredWageBaseFen,
  unpaidStreak,
  type DuesLedger,
  type DuesPaymentFacts,
} from './dues.rules';

const rules = NATIONAL_DUES_RULES;

describe('dues arithmetic (integer fen only)', () => {
  it.each([
    [567890, 567000, 2835], // issue example: CNY 5,678.90 → 5,670 → 28.35
    [345999, 345000, 1725], // the 9.99 yuan tail: CNY 3,459.99 → 3,450 → 17.25
    [346000, 346000, 1730], // exactly on the step
    [999, 0, 0], // below CNY 10: nothing due
    [1000, 1000, 5],
    [0, 0, 0],
  ])('base %i fen → floored %i fen → %i fen', (base, floored, dues) => {
    expect(flooredWageBaseFen(base, rules)).toBe(floored);
    expect(expectedDuesFen(base, rules)).toBe(dues);
  });

  it('rounds half up at the fen when the rate does not divide evenly', () => {
    const quarter = { rateBasisPoints: 25, baseStepFen: 1000 }; // 0.25 %
    expect(expectedDuesFen(1000, quarter)).toBe(3); // 2.5 fen → 3
    expect(expectedDuesFen(3000, quarter)).toBe(8); // 7.5 fen → 8
    expect(expectedDuesFen(2000, quarter)).toBe(5);
    const odd = { rateBasisPoints: 33, baseStepFen: 1000 }; // 0.33 %
    expect(expectedDuesFen(1000, odd)).toBe(3); // 3.3 fen → 3
  });

  it('property: equals the exact BigInt computation for every base and rate', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: MAX_WAGE_BASE_FEN }),
        fc.integer({ min: 0, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (base, rateBasisPoints, baseStepFen) => {
          const r = { rateBasisPoints, baseStepFen };
          const floored = (BigInt(base) / BigInt(baseStepFen)) * BigInt(baseStepFen);
          const exact = (floored * BigInt(rateBasisPoints) * 2n + 10_000n) / 20_000n; // half up
          const got = expectedDuesFen(base, r);
          expect(Number.isSafeInteger(got)).toBe(true);
          expect(BigInt(got)).toBe(exact);
        },
      ),
    );
  });

  it('property: the tail below the step never changes the dues', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 0, max: 999 }),
        (yuanTens, tail) => {
          const base = yuanTens * 1000;
          expect(expectedDuesFen(base + tail, rules)).toBe(expectedDuesFen(base, rules));
          expect(expectedDuesFen(base, rules) * 200).toBe(base); // 0.5 % of a whole step is exact
        },
      ),
    );
  });
});

describe('unpaidStreak (Art. 19(4) arrears)', () => {
  const ledger = (
    paid: string[],
    liableFrom = '2025-01',
    exemptFrom: string | null = null,
  ): DuesLedger => ({
    liableFrom,
    exemptFrom,
    paid: Object.fromEntries(paid.map((p) => [p, 2835])),
  });

  it('counts back from the last month that has ended', () => {
    expect(unpaidStreak(ledger([]), '2025-07-15')).toEqual({ months: 6, since: '2025-01' });
    expect(unpaidStreak(ledger(['2025-01']), '2025-07-31')).toEqual({
      months: 5,
      since: '2025-02',
    });
    expect(unpaidStreak(ledger(['2025-01']), '2025-08-01')).toEqual({
      months: 6,
      since: '2025-02',
    });
  });

  it('stops at the last payment and at the first liable month', () => {
    expect(unpaidStreak(ledger(['2025-06']), '2025-07-15')).toEqual({ months: 0, since: null });
    expect(unpaidStreak(ledger(['2025-02']), '2025-07-15')).toEqual({
      months: 4,
      since: '2025-03',
    });
    expect(unpaidStreak(ledger([], '2025-07'), '2025-07-15')).toEqual({ months: 0, since: null });
  });

  it('crosses year boundaries', () => {
    expect(unpaidStreak(ledger(['2024-10'], '2024-01'), '2025-03-02')).toEqual({
      months: 4,
      since: '2024-11',
    });
  });

  it('an exempt member has no arrears', () => {
    expect(unpaidStreak(ledger([], '2025-01', '2025-06'), '2025-12-01')).toEqual({
      months: 0,
      since: null,
    });
  });
});

describe('checkDuesPayment: the shared per-payment rules', () => {
  const member: DuesPaymentFacts = {
    standing: 'MEMBER',
    joinedPeriod: '2025-01',
    exemptFrom: null,
    periodAlreadyPaid: false,
  };
  const payment = { period: '2025-03', wageBaseFen: 567890 };

  it('reports the first broken rule in a fixed order', () => {
    expect(checkDuesPayment(member, payment, rules)).toEqual({
      ok: true,
      expectedFen: 2835,
      amountFen: 2835,
    });
    expect(checkDuesPayment({ ...member, standing: 'ENDED' }, payment, rules)).toMatchObject({
      code: 'MEMBERSHIP_ENDED',
    });
    expect(checkDuesPayment({ ...member, standing: 'NOT_APPROVED' }, payment, rules)).toMatchObject(
      { code: 'MEMBERSHIP_NOT_APPROVED' },
    );
    expect(checkDuesPayment(member, { ...payment, period: '2024-12' }, rules)).toMatchObject({
      code: 'PERIOD_BEFORE_JOINING',
    });
    expect(checkDuesPayment({ ...member, exemptFrom: '2025-03' }, payment, rules)).toMatchObject({
      code: 'DUES_EXEMPT',
    });
    expect(checkDuesPayment({ ...member, exemptFrom: '2025-04' }, payment, rules)).toMatchObject({
      ok: true,
    });
    expect(checkDuesPayment({ ...member, periodAlreadyPaid: true }, payment, rules)).toMatchObject({
      code: 'DUES_ALREADY_PAID',
    });
    expect(checkDuesPayment(member, { ...payment, amountFen: 2834 }, rules)).toEqual({
      ok: false,
      code: 'DUES_AMOUNT_MISMATCH',
      expectedFen: 2835,
    });
    expect(checkDuesPayment(member, { ...payment, amountFen: 1.5 }, rules)).toMatchObject({
      code: 'INVALID_WAGE_BASE',
    });
    expect(
      checkDuesPayment(member, { ...payment, wageBaseFen: MAX_WAGE_BASE_FEN + 1 }, rules),
    ).toMatchObject({
      code: 'INVALID_WAGE_BASE',
    });
  });
});
