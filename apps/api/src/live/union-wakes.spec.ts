import { UnionWakes, WatchedUnion } from './union-wakes';

describe('UnionWakes', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  /** A watched union with `subscribers` subscriptions, each recording when it was woken. */
  function watched(subscribers: number) {
    const union = new WatchedUnion();
    const woken = Array.from({ length: subscribers }, () => [] as number[]);
    woken.forEach((times) => union.pokes.add(() => times.push(Date.now())));
    return { union, woken };
  }

  it('wakes every subscription of a union at once after a quiet window, then once at the end of a busy one', async () => {
    const wakes = new UnionWakes(1_000);
    const x = watched(3);
    const start = Date.now();
    wakes.wake([x.union]);
    expect(x.woken.map((w) => w.length)).toEqual([1, 1, 1]);
    for (let i = 0; i < 20; i++) {
      await jest.advanceTimersByTimeAsync(40);
      wakes.wake([x.union]);
    }
    expect(x.woken.map((w) => w.length)).toEqual([1, 1, 1]);
    await jest.advanceTimersByTimeAsync(200);
    // the twenty changes of the window: one more wake-up, the same moment for all three
    expect(x.woken.map((w) => w.length)).toEqual([2, 2, 2]);
    expect(new Set(x.woken.map((w) => w[1]))).toEqual(new Set([start + 1_000]));
    await jest.advanceTimersByTimeAsync(5_000);
    expect(x.woken[0]).toHaveLength(2);
    expect(wakes.pending()).toBe(0);
  });

  it('keeps unions changed together on one timer, and a union woken later on its own', async () => {
    const wakes = new UnionWakes(1_000);
    const [a, b, c] = [watched(1), watched(1), watched(1)];
    wakes.wake([a.union, b.union]);
    await jest.advanceTimersByTimeAsync(300);
    wakes.wake([c.union]);
    await jest.advanceTimersByTimeAsync(100);
    wakes.wake([a.union, b.union, c.union]);
    expect(wakes.pending()).toBe(2); // a and b at 1,000 ms; c at 1,300 ms
    await jest.advanceTimersByTimeAsync(600);
    expect([a, b, c].map((u) => u.woken[0]!.length)).toEqual([2, 2, 1]);
    expect(a.woken[0]![1]).toBe(b.woken[0]![1]);
    await jest.advanceTimersByTimeAsync(300);
    expect(c.woken[0]).toHaveLength(2);
    expect(c.woken[0]![1]! - c.woken[0]![0]!).toBe(1_000);
  });

  it('stops its timers: nothing is woken after stop', async () => {
    const wakes = new UnionWakes(1_000);
    const x = watched(1);
    wakes.wake([x.union]);
    wakes.wake([x.union]);
    wakes.stop();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(x.woken[0]).toHaveLength(1);
  });

  it('retries only the subscriptions whose read failed, never sooner than a window after the last wake-up', async () => {
    const wakes = new UnionWakes(1_000);
    const union = new WatchedUnion();
    const [ok, failed] = [[] as number[], [] as number[]];
    const failedPoke = () => failed.push(Date.now());
    union.pokes.add(() => ok.push(Date.now()));
    union.pokes.add(failedPoke);
    const start = Date.now();
    wakes.wake([union]);
    wakes.retry(union, failedPoke, 250);
    await jest.advanceTimersByTimeAsync(999);
    expect([ok.length, failed.length]).toEqual([1, 1]);
    await jest.advanceTimersByTimeAsync(1);
    // the one that read fine is not sent the same state again
    expect([ok, failed]).toEqual([[start], [start, start + 1_000]]);
    // a change during a retry's long backoff wakes everyone at the end of the window instead
    wakes.retry(union, failedPoke, 4_000);
    await jest.advanceTimersByTimeAsync(100);
    wakes.wake([union]);
    expect(wakes.pending()).toBe(1);
    await jest.advanceTimersByTimeAsync(900);
    expect([ok, failed]).toEqual([
      [start, start + 2_000],
      [start, start + 1_000, start + 2_000],
    ]);
    await jest.advanceTimersByTimeAsync(5_000);
    expect([ok.length, failed.length, wakes.pending()]).toEqual([2, 3, 0]);
  });
});
