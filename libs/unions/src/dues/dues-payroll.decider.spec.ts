import { DomainError } from '@app/core';
import { RULES, meta } from '../member/member.fixtures';
import type {
  DuesPayrollRow,
  ImportDuesPayroll,
  PayrollMemberFacts,
} from './dues-payroll.commands';
import { decideDuesPayroll, duesPayrollStreamId } from './dues-payroll.decider';

const BRIGADE = 'B1';
const PATH = ['C', 'F1', BRIGADE, 'T1'];

const facts = (over: Partial<PayrollMemberFacts> = {}): PayrollMemberFacts => ({
  standing: 'MEMBER',
  joinedPeriod: '2020-01',
  exemptFrom: null,
  periodAlreadyPaid: false,
  unionPath: PATH,
  streamVersion: 3,
  ...over,
});

const payroll = (
  rows: DuesPayrollRow[],
  members: Map<string, PayrollMemberFacts>,
  over: Partial<ImportDuesPayroll['data']> = {},
): ImportDuesPayroll => ({
  type: 'ImportDuesPayroll',
  data: {
    unionId: BRIGADE,
    period: '2025-06',
    paidOn: '2025-07-10',
    rows,
    members,
    rules: RULES,
    actsForUnionIds: [BRIGADE],
    ...over,
  },
  metadata: meta(),
});

const codeOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
  }
  return 'no error';
};

describe('importDuesPayroll: a union month in one command', () => {
  it('accepts good rows as DuesPaid for each member stream, at the version the facts reflect', () => {
    const decision = decideDuesPayroll(
      payroll([{ memberId: 'm1', wageBaseFen: 345999 }], new Map([['m1', facts()]])),
    );
    expect(decision.accepted).toEqual([
      {
        rowNumber: 1,
        memberId: 'm1',
        expectedVersion: 3,
        event: {
          type: 'DuesPaid',
          data: {
            memberId: 'm1',
            unionId: 'T1',
            period: '2025-06',
            wageBaseFen: 345999,
            expectedFen: 1725,
            amountFen: 1725,
            paidOn: '2025-07-10',
            source: 'PAYROLL',
          },
        },
      },
    ]);
    expect(decision.summary).toEqual({
      type: 'DuesPayrollImported',
      data: {
        unionId: BRIGADE,
        period: '2025-06',
        paidOn: '2025-07-10',
        rows: 1,
        accepted: 1,
        rejected: 0,
        totalFen: 1725,
      },
    });
  });

  it('reports each bad row with its number and reason, and goes on', () => {
    const members = new Map<string, PayrollMemberFacts>([
      ['ok', facts()],
      ['other-subtree', facts({ unionPath: ['C', 'F2', 'B7'] })],
      ['retained', facts({ exemptFrom: '2024-01' })],
      ['withdrawn', facts({ standing: 'ENDED' })],
      ['paid', facts({ periodAlreadyPaid: true })],
      ['late-joiner', facts({ joinedPeriod: '2025-07' })],
      ['mismatch', facts()],
    ]);
    const rows: DuesPayrollRow[] = [
      { memberId: 'ok', wageBaseFen: 567890, amountFen: 2835 },
      { memberId: 'unknown', wageBaseFen: 500000 },
      { memberId: 'other-subtree', wageBaseFen: 500000 },
      { memberId: 'retained', wageBaseFen: 500000 },
      { memberId: 'withdrawn', wageBaseFen: 500000 },
      { memberId: 'paid', wageBaseFen: 500000 },
      { memberId: 'late-joiner', wageBaseFen: 500000 },
      { memberId: 'mismatch', wageBaseFen: 567890, amountFen: 2800 },
      { memberId: 'ok', wageBaseFen: 567890 },
      { memberId: '', wageBaseFen: 1 },
    ];
    const decision = decideDuesPayroll(payroll(rows, members));
    expect(decision.accepted.map((a) => a.rowNumber)).toEqual([1]);
    expect(decision.rejected.map((r) => [r.rowNumber, r.reason])).toEqual([
      [2, 'UNKNOWN_MEMBER'],
      [3, 'WRONG_UNION_SUBTREE'],
      [4, 'DUES_EXEMPT'],
      [5, 'MEMBERSHIP_ENDED'],
      [6, 'DUES_ALREADY_PAID'],
      [7, 'PERIOD_BEFORE_JOINING'],
      [8, 'DUES_AMOUNT_MISMATCH'],
      [9, 'DUPLICATE_ROW'],
      [10, 'UNKNOWN_MEMBER'],
    ]);
    expect(decision.rejected[6]?.message.en).toContain('2800');
    expect(decision.rejected[6]?.message.zh).toContain('2835');
  });

  it('10,000 rows with 1 % bad: counts, reasons, and a rerun that appends nothing', () => {
    const members = new Map<string, PayrollMemberFacts>();
    const rows: DuesPayrollRow[] = [];
    for (let i = 0; i < 10_000; i += 1) {
      const id = `m${i}`;
      if (i % 100 !== 99) members.set(id, facts({ streamVersion: i }));
      rows.push({ memberId: id, wageBaseFen: 300_000 + i });
    }
    const first = decideDuesPayroll(payroll(rows, members));
    expect(first.accepted).toHaveLength(9_900);
    expect(first.rejected).toHaveLength(100);
    expect(new Set(first.rejected.map((r) => r.reason))).toEqual(new Set(['UNKNOWN_MEMBER']));
    expect(first.totalFen).toBe(first.accepted.reduce((sum, a) => sum + a.event.data.amountFen, 0));

    // The facts after the first import was appended: every accepted member has the period paid.
    const after = new Map([...members].map(([id, f]) => [id, { ...f, periodAlreadyPaid: true }]));
    const rerun = decideDuesPayroll(payroll(rows, after));
    expect(rerun.accepted).toHaveLength(0);
    expect(rerun.summary).toBeNull();
    expect(rerun.rejected.filter((r) => r.reason === 'DUES_ALREADY_PAID')).toHaveLength(9_900);
  });

  it('refuses the whole payroll for a future period, a bad date, an outsider or too many rows', () => {
    const none = new Map<string, PayrollMemberFacts>();
    expect(codeOf(() => decideDuesPayroll(payroll([], none, { period: '2025-08' })))).toBe(
      'PERIOD_IN_FUTURE',
    );
    expect(codeOf(() => decideDuesPayroll(payroll([], none, { period: '2025-07' })))).toBe(
      'no error',
    );
    expect(codeOf(() => decideDuesPayroll(payroll([], none, { period: '25-07' })))).toBe(
      'INVALID_PERIOD',
    );
    expect(codeOf(() => decideDuesPayroll(payroll([], none, { paidOn: '2025-07-16' })))).toBe(
      'INVALID_PAYMENT_DATE',
    );
    expect(codeOf(() => decideDuesPayroll(payroll([], none, { actsForUnionIds: ['T1'] })))).toBe(
      'NOT_AUTHORISED_FOR_DUES',
    );
    const tooMany = Array.from({ length: 500_001 }, () => ({ memberId: 'x', wageBaseFen: 0 }));
    expect(codeOf(() => decideDuesPayroll(payroll(tooMany, none)))).toBe('PAYROLL_TOO_LARGE');
  });

  it('names the payroll stream by union and period', () => {
    expect(duesPayrollStreamId('B1', '2025-06')).toBe('dues-payroll-B1-2025-06');
  });
});
