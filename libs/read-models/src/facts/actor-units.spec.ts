import { ActorUnits } from './actor-units';

describe('ActorUnits (officer scope from verified tokens)', () => {
  it('covers the unit and everything below it, in its tenant only', () => {
    const units = new ActorUnits();
    units.register('t', 'u', '/co/s1/');
    expect(units.covers('t', 'u', '/co/s1/')).toBe(true);
    expect(units.covers('t', 'u', '/co/s1/b1/')).toBe(true);
    expect(units.covers('t', 'u', '/co/')).toBe(false);
    expect(units.covers('t', 'u', '/co/s10/')).toBe(false);
    expect(units.covers('other', 'u', '/co/s1/')).toBe(false);
    expect(units.covers('t', 'someone', '/co/s1/')).toBe(false);
    units.register('t', 'root', '/');
    expect(units.covers('t', 'root', '/anything/')).toBe(true);
  });

  it('takes the latest registration, forgets on request, refuses malformed paths', () => {
    const units = new ActorUnits();
    units.register('t', 'u', '/co/s1/');
    units.register('t', 'u', '/co/s2/');
    expect(units.unitPathOf('t', 'u')).toBe('/co/s2/');
    units.forget('t', 'u');
    expect(units.unitPathOf('t', 'u')).toBeNull();
    expect(() => units.register('t', 'u', 'co/s1')).toThrow();
    expect(() => units.register('t', 'u', '/co//')).toThrow();
  });

  it('evicts the least recently used entry beyond the cap', () => {
    const units = new ActorUnits({ maxEntries: 2 });
    units.register('t', 'a', '/');
    units.register('t', 'b', '/');
    expect(units.unitPathOf('t', 'a')).toBe('/'); // a is now the most recent
    units.register('t', 'c', '/');
    expect(units.size).toBe(2);
    expect(units.unitPathOf('t', 'b')).toBeNull();
    expect(units.unitPathOf('t', 'a')).toBe('/');
  });

  it('expires entries not registered again in time', () => {
    let now = 1_000;
    const units = new ActorUnits({ ttlMs: 100, now: () => now });
    units.register('t', 'u', '/co/');
    now = 1_099;
    expect(units.covers('t', 'u', '/co/')).toBe(true);
    now = 1_100;
    expect(units.covers('t', 'u', '/co/')).toBe(false);
    expect(units.size).toBe(0);
  });
});
