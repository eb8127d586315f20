import { TickBatcher } from './tick-batcher';

describe('TickBatcher (the reads of one event-loop turn as one fetch per group)', () => {
  const recording = () => {
    const fetches: [string, string[]][] = [];
    const batcher = new TickBatcher<string, string>((group, keys) => {
      fetches.push([group, keys]);
      if (keys.includes('boom')) return Promise.reject(new Error('fetch failed'));
      return Promise.resolve(keys.map((k) => `${group}:${k}`));
    });
    return { fetches, batcher };
  };

  it('answers the calls of one turn with one fetch per group, distinct keys, each in its order', async () => {
    const { fetches, batcher } = recording();
    const answers = await Promise.all([
      batcher.load('t1', ['a', 'settings']),
      batcher.load('t1', ['b', 'settings']),
      batcher.load('t2', ['a']),
      batcher.load('t1', ['settings', 'a']),
    ]);
    expect(answers).toEqual([
      ['t1:a', 't1:settings'],
      ['t1:b', 't1:settings'],
      ['t2:a'],
      ['t1:settings', 't1:a'],
    ]);
    expect(fetches).toEqual([
      ['t1', ['a', 'settings', 'b']],
      ['t2', ['a']],
    ]);
  });

  it('fetches again for calls of a later turn (nothing is cached)', async () => {
    const { fetches, batcher } = recording();
    await batcher.load('t1', ['a']);
    await batcher.load('t1', ['a']);
    expect(fetches).toEqual([
      ['t1', ['a']],
      ['t1', ['a']],
    ]);
    expect(await batcher.load('t1', [])).toEqual([]);
    expect(fetches).toHaveLength(2);
  });

  it("fails the calls of a failed batch only, not another group's or a later turn's", async () => {
    const { batcher } = recording();
    const [bad, sameBatch, otherGroup] = await Promise.allSettled([
      batcher.load('t1', ['boom']),
      batcher.load('t1', ['a']),
      batcher.load('t2', ['a']),
    ]);
    expect(bad.status).toBe('rejected');
    expect(sameBatch.status).toBe('rejected');
    expect(otherGroup).toEqual({ status: 'fulfilled', value: ['t2:a'] });
    expect(await batcher.load('t1', ['a'])).toEqual(['t1:a']);
  });
});
