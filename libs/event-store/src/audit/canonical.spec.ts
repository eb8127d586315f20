import fc from 'fast-check';
import { canonicalJson } from './canonical';

/** The first version, whose bytes every sealed hash depends on. */
function firstCanonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value))
    return `[${value.map((v: unknown) => firstCanonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${firstCanonicalJson(v)}`).join(',')}}`;
}

describe('canonicalJson', () => {
  it('gives the bytes of the first version for any value (the sealed hashes depend on them)', () => {
    fc.assert(
      fc.property(
        fc.anything({
          withBigInt: false,
          withDate: true,
          withNullPrototype: true,
          withSparseArray: true,
          withTypedArray: true,
          withMap: true,
          withSet: true,
          withObjectString: true,
          withBoxedValues: true,
          withUnicodeString: true,
        }),
        (value) => {
          expect(canonicalJson(value)).toBe(firstCanonicalJson(value));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('sorts keys at every level by UTF-16 code units and leaves out undefined members', () => {
    const value = {
      b: 1,
      a: { é: [3, undefined, { z: null, y: undefined }], A: '"' },
      10: true,
      9: 'x',
    };
    expect(canonicalJson(value)).toBe(
      '{"10":true,"9":"x","a":{"A":"\\"","é":[3,null,{"z":null}]},"b":1}',
    );
  });
});
