import { closeSpans, moveSpans, payIntoHoles, spanUnion, unpaidSince } from './dues-spans';

describe('dues spans and unpaid runs', () => {
  const open = [{ unionId: 'a', from: '2026-01', to: null }];

  it('closes liability at the exit month and drops spans that had not begun', () => {
    expect(closeSpans(open, '2026-04')).toEqual([{ unionId: 'a', from: '2026-01', to: '2026-04' }]);
    expect(closeSpans(open, '2026-01')).toEqual([]);
    expect(closeSpans(open, '2025-12')).toEqual([]);
  });

  it('moves the months from the transfer on and joins a transfer back within a month', () => {
    const moved = moveSpans(open, '2026-03', 'b');
    expect(moved).toEqual([
      { unionId: 'a', from: '2026-01', to: '2026-03' },
      { unionId: 'b', from: '2026-03', to: null },
    ]);
    expect(spanUnion(moved, '2026-02')).toBe('a');
    expect(spanUnion(moved, '2026-03')).toBe('b');
    expect(spanUnion(moved, '2025-12')).toBeUndefined();
    expect(moveSpans(moved, '2026-03', 'a')).toEqual(open);
    // joined in the month of the transfer: everything moves
    expect(moveSpans(open, '2026-01', 'b')).toEqual([{ unionId: 'b', from: '2026-01', to: null }]);
  });

  it('leaves a hole when a later month is paid and splits it when a month inside is paid', () => {
    const holes = payIntoHoles([], '2025-06', '2025-06', '2026-07');
    expect(holes).toEqual([{ from: '2025-07', to: '2026-06' }]);
    expect(payIntoHoles(holes, '2025-06', '2026-07', '2026-01')).toEqual([
      { from: '2025-07', to: '2025-12' },
      { from: '2026-02', to: '2026-06' },
    ]);
    expect(payIntoHoles(holes, '2025-06', '2026-07', '2025-07')).toEqual([
      { from: '2025-08', to: '2026-06' },
    ]);
    expect(payIntoHoles(holes, '2025-06', '2026-07', '2026-06')).toEqual([
      { from: '2025-07', to: '2026-05' },
    ]);
    // the first payment: months since liability began are a hole, never months before it
    expect(payIntoHoles([], '2026-01', null, '2026-04')).toEqual([
      { from: '2026-01', to: '2026-03' },
    ]);
    expect(payIntoHoles([], '2026-05', null, '2026-04')).toEqual([]);
    expect(payIntoHoles([], '2026-01', '2026-01', '2026-02')).toEqual([]);
  });

  it('starts the trailing run after the last paid month, never before liability', () => {
    expect(unpaidSince(null, null)).toBeNull();
    expect(unpaidSince('2026-01', null)).toBe('2026-01');
    expect(unpaidSince('2026-01', '2026-12')).toBe('2027-01');
    expect(unpaidSince('2026-06', '2026-02')).toBe('2026-06');
  });
});
