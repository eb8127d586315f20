import {
  addMonthsToDate,
  article,
  chineseNumber,
  dateInZone,
  isIsoDate,
  monthsBetween,
} from '@app/core';

describe('core helpers', () => {
  it('renders article numbers in Chinese', () => {
    expect(chineseNumber(8)).toBe('八');
    expect(chineseNumber(10)).toBe('十');
    expect(chineseNumber(19)).toBe('十九');
    expect(chineseNumber(36)).toBe('三十六');
    expect(article(19, 3)).toEqual({
      number: 19,
      item: 3,
      en: 'Art. 19(3)',
      zh: '第十九条第（三）项',
    });
  });

  it('handles business dates without the machine time zone', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(addMonthsToDate('2024-01-31', 1)).toBe('2024-02-29');
    expect(monthsBetween('2025-11', '2026-05')).toBe(6);
  });

  it('gives the date in a zone, for the instant and offset asked each time', () => {
    const evening = new Date('2025-07-15T17:30:00Z');
    expect(dateInZone(evening)).toBe('2025-07-16'); // 01:30 in Beijing
    expect(dateInZone(evening)).toBe('2025-07-16');
    expect(dateInZone(evening, 0)).toBe('2025-07-15');
    expect(dateInZone(new Date('2025-07-15T15:59:59Z'))).toBe('2025-07-15');
    expect(dateInZone(evening, -600)).toBe('2025-07-15');
    expect(dateInZone(evening)).toBe('2025-07-16');
  });
});
