import { analyseQuery, asksForConsistency, QueryAnalyses } from './cacheable-query';
import { ResponseCache } from './response-cache';

describe('ResponseCache', () => {
  // random 1: no answer is refreshed ahead of its maximum age (see the refresh test)
  const setup = (maxAgeMs = 1_000, maxBytes = 1_000_000, random = () => 1) => {
    let now = 1_000_000;
    const cache = new ResponseCache(maxAgeMs, maxBytes, () => now, random);
    return { cache, tick: (ms: number) => (now += ms) };
  };

  it('serves an answer within its maximum age, and not after', () => {
    const { cache, tick } = setup(1_000);
    cache.set('k', cache.stamp('t1'), '{"data":1}');
    tick(999);
    expect(cache.get('k')).toBe('{"data":1}');
    tick(1);
    expect(cache.get('k')).toBeUndefined();
  });

  it('forgets a tenant’s answers on its commits, and everything on invalidateAll', () => {
    const { cache } = setup();
    cache.set('a', cache.stamp('t1'), 'A');
    cache.set('b', cache.stamp('t2'), 'B');
    cache.invalidate('t1');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.get('b')).toBe('B');
    cache.invalidateAll();
    expect(cache.get('b')).toBeUndefined();
  });

  it('does not keep an answer whose reads raced with a commit', () => {
    const { cache } = setup();
    const stamp = cache.stamp('t1'); // taken before the reads
    cache.invalidate('t1'); // a commit while the query ran
    cache.set('k', stamp, 'maybe stale');
    expect(cache.get('k')).toBeUndefined();
  });

  it('lets concurrent askers wait for the one answer being computed, if it stays current', async () => {
    const { cache } = setup();
    const settle = cache.begin('k', cache.stamp('t1'));
    const waiting = cache.computingNow('k');
    expect(waiting).toBeDefined();
    settle('{"data":2}');
    expect(await waiting).toBe('{"data":2}');
    expect(cache.computingNow('k')).toBeUndefined();
    expect(cache.get('k')).toBe('{"data":2}');

    const late = cache.begin('m', cache.stamp('t1'));
    const waiter = cache.computingNow('m');
    cache.invalidate('t1'); // a commit while it ran: nobody may take it
    expect(cache.computingNow('m')).toBeUndefined();
    late('{"data":3}');
    expect(await waiter).toBeUndefined();
    expect(cache.get('m')).toBeUndefined();

    const failed = cache.begin('e', cache.stamp('t2'));
    const errorWaiter = cache.computingNow('e');
    failed(undefined); // an error: waiters run the query themselves
    expect(await errorWaiter).toBeUndefined();
  });

  it('refreshes an answer ahead of its age: one asker recomputes it, the others still get it', () => {
    const { cache, tick } = setup(1_000, 1_000_000, () => 0.5); // refresh point: 850 ms
    cache.set('k', cache.stamp('t1'), 'old');
    tick(849);
    expect(cache.get('k')).toBe('old');
    tick(1);
    expect(cache.get('k')).toBeUndefined(); // this asker refreshes it
    const settle = cache.begin('k', cache.stamp('t1'));
    expect(cache.get('k')).toBe('old'); // everyone else, meanwhile
    expect(cache.get('k')).toBe('old');
    settle('new');
    expect(cache.get('k')).toBe('new');
    tick(849);
    expect(cache.get('k')).toBe('new'); // its own refresh point counts from its own stamp

    // a refresh that fails leaves the next asker to try again; never past the maximum age
    tick(1);
    expect(cache.get('k')).toBeUndefined();
    cache.begin('k', cache.stamp('t1'))(undefined);
    expect(cache.get('k')).toBeUndefined();
    cache.begin('k', cache.stamp('t1'));
    expect(cache.get('k')).toBe('new');
    tick(150);
    expect(cache.get('k')).toBeUndefined();
    // and a commit still ends it at once
    cache.set('c', cache.stamp('t1'), 'C');
    cache.invalidate('t1');
    expect(cache.get('c')).toBeUndefined();
  });

  it('keeps to its byte budget, least recently used first; 0 ms keeps nothing', () => {
    const { cache } = setup(1_000, 4 * 1_000);
    const body = 'x'.repeat(300); // ~ 800 bytes an entry
    for (const key of ['a', 'b', 'c', 'd']) cache.set(key, cache.stamp('t'), body);
    cache.get('a'); // used: b is now the oldest
    cache.set('e', cache.stamp('t'), body);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(body);
    expect(cache.size().bytes).toBeLessThanOrEqual(4 * 1_000);

    const off = setup(0).cache;
    off.set('k', off.stamp('t'), 'A');
    expect(off.get('k')).toBeUndefined();
    expect(off.enabled).toBe(false);
  });
});

describe('analyseQuery', () => {
  it('allows queries of read-model fields only', () => {
    expect(analyseQuery('{ union(id: "u") { id } members(unionId: "u") { totalCount } }')).toEqual({
      cacheable: true,
      operationName: undefined,
      consistencyVariables: [],
    });
    for (const text of [
      'mutation { dissolveUnion(input: {}) { position } }',
      'subscription { unionChanged(id: "u") { id } }',
      '{ health { headPosition } }',
      '{ me { userId } }',
      '{ union(id: "u") { id } auditTrail(filter: {}) { totalCount } }',
      '{ ... on Query { union(id: "u") { id } } }',
      'query A { union(id: "u") { id } } query B { member(id: "m") { id } }',
      '{ union(id: "u", consistentAfter: "12") { id } }',
      '{ union(id: ',
    ])
      expect(analyseQuery(text)).toEqual({ cacheable: false });
  });

  it('leaves very long documents alone (neither analysed nor remembered)', () => {
    const analyses = new QueryAnalyses();
    const long = `{ union(id: "u") { id } } # ${'x'.repeat(20_000)}`;
    expect(analyseQuery(long).cacheable).toBe(true);
    expect(analyses.of(long)).toEqual({ cacheable: false });
  });

  it('names the variables that ask for read-your-writes', () => {
    const query = analyseQuery(
      'query Q($id: ID!, $c: String, $d: String = "5") { union(id: $id, consistentAfter: $c) { id } member(id: $id, consistentAfter: $d) { id } }',
    );
    if (!query.cacheable) throw new Error('expected a cacheable query');
    expect(query.operationName).toBe('Q');
    expect(asksForConsistency(query, { id: 'u', c: null, d: null })).toBe(false);
    expect(asksForConsistency(query, { id: 'u', c: '7', d: null })).toBe(true);
    // $d left out: its default asks for it
    expect(asksForConsistency(query, { id: 'u', c: null })).toBe(true);
  });
});
