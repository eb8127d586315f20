import { UnionPathCache } from './union-path-cache';

describe('UnionPathCache', () => {
  const reader = (paths: Record<string, string>) => {
    const asked: string[][] = [];
    const read = (missing: string[]) => {
      asked.push(missing);
      return Promise.resolve(
        new Map(missing.filter((id) => paths[id]).map((id) => [id, paths[id]!] as const)),
      );
    };
    return { read, asked };
  };

  it('reads each known path once, and asks again for an id it did not find', async () => {
    const cache = new UnionPathCache();
    const { read, asked } = reader({ a: '/a/', b: '/a/b/' });
    expect(await cache.of('t1', ['a', 'b', 'x'], read)).toEqual(
      new Map([
        ['a', '/a/'],
        ['b', '/a/b/'],
      ]),
    );
    expect(await cache.of('t1', ['b', 'x'], read)).toEqual(new Map([['b', '/a/b/']]));
    expect(asked).toEqual([['a', 'b', 'x'], ['x']]);
  });

  it('keeps tenants apart', async () => {
    const cache = new UnionPathCache();
    await cache.of('t1', ['a'], reader({ a: '/a/' }).read);
    const other = reader({});
    expect(await cache.of('t2', ['a'], other.read)).toEqual(new Map());
    expect(other.asked).toEqual([['a']]);
  });

  it('drops the least recently used entries beyond its bound', async () => {
    const cache = new UnionPathCache(2);
    const { read, asked } = reader({ a: '/a/', b: '/b/', c: '/c/' });
    await cache.of('t', ['a', 'b'], read);
    await cache.of('t', ['a'], read); // a is now the most recent
    await cache.of('t', ['c'], read); // b goes
    expect(cache.size).toBe(2);
    await cache.of('t', ['a', 'b'], read);
    expect(asked).toEqual([['a', 'b'], ['c'], ['b']]);
  });
});
