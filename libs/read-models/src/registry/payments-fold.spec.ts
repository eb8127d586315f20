import { memberRowAfterPayment } from './payments-fold';

describe('memberRowAfterPayment: the registry row after one payment, from the row before', () => {
  const row = {
    id: 'm1',
    status: 'ACTIVE',
    lastPaidPeriod: '2026-03' as string | null,
    version: 4,
  };

  it('moves the latest period and the version, nothing else', () => {
    expect(memberRowAfterPayment(row, { period: '2026-05', version: 5 })).toEqual({
      ...row,
      lastPaidPeriod: '2026-05',
      version: 5,
    });
    expect(memberRowAfterPayment(row, { period: '2026-01', version: 5 })).toEqual({
      ...row,
      version: 5,
    });
    expect(
      memberRowAfterPayment({ ...row, lastPaidPeriod: null }, { period: '2026-01', version: 5 }),
    ).toEqual({ ...row, lastPaidPeriod: '2026-01', version: 5 });
  });

  it('gives nothing when the row before is not exactly one version behind', () => {
    expect(memberRowAfterPayment(row, { period: '2026-05', version: 6 })).toBeUndefined();
    expect(memberRowAfterPayment(row, { period: '2026-05', version: 4 })).toBeUndefined();
  });
});
