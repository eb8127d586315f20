import fc from 'fast-check';
import { CompactStringSet } from '@app/core';

describe('CompactStringSet', () => {
  it('answers exactly like a Set<string> for any sequence of adds and lookups', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(
            fc.boolean(),
            fc.oneof(
              fc.string({ unit: 'binary' }),
              // a small alphabet: many repeats and near misses
              fc.string({ unit: fc.constantFrom('a', 'b', '\ud800', '工'), maxLength: 4 }),
            ),
          ),
          {
            maxLength: 400,
          },
        ),
        (operations) => {
          const compact = new CompactStringSet();
          const reference = new Set<string>();
          for (const [add, value] of operations) {
            if (add) {
              compact.add(value);
              reference.add(value);
            } else {
              expect(compact.has(value)).toBe(reference.has(value));
            }
          }
          expect(compact.size).toBe(reference.size);
          for (const value of reference) expect(compact.has(value)).toBe(true);
        },
      ),
      { seed: 9, numRuns: 300 },
    );
  });

  it('keeps 250,000 roll numbers apart through many rehashes, and tells near misses apart', () => {
    const set = new CompactStringSet();
    for (let i = 0; i < 250_000; i++) set.add(`E${String(i).padStart(7, '0')}`);
    set.add('E0000001'); // already there
    expect(set.size).toBe(250_000);
    expect(set.has('E0000000')).toBe(true);
    expect(set.has('E0249999')).toBe(true);
    expect(set.has('E0250000')).toBe(false);
    expect(set.has('e0000001')).toBe(false);
    expect(set.has('E000001')).toBe(false);
    expect(set.has('')).toBe(false);
  });

  it('distinguishes strings that UTF-8 would merge (lone surrogates) and long values', () => {
    const set = new CompactStringSet(['\ud800', 'x'.repeat(5_000)]);
    expect(set.has('\ud800')).toBe(true);
    expect(set.has('\udc00')).toBe(false);
    expect(set.has('\ufffd')).toBe(false);
    expect(set.has('x'.repeat(5_000))).toBe(true);
    expect(set.has('x'.repeat(4_999))).toBe(false);
  });
});
