import { LiveIterator } from './live-iterator';

describe('LiveIterator', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  function counting(windowMs: number, slowAfterMs = 10_000) {
    let state = 0;
    let reads = 0;
    let slow = 0;
    const iterator = new LiveIterator<number>({
      read: () => {
        reads += 1;
        return Promise.resolve({ items: [state] });
      },
      windowMs,
      slowAfterMs,
      onSlow: () => (slow += 1),
    });
    return {
      iterator,
      set: (value: number) => (state = value),
      reads: () => reads,
      slow: () => slow,
    };
  }

  it('reads the first change at once, then every change inside the window as one read of the latest state', async () => {
    const live = counting(1_000);
    live.set(1);
    live.iterator.poke();
    await expect(live.iterator.next()).resolves.toEqual({ done: false, value: 1 });
    const next = live.iterator.next();
    for (let i = 2; i <= 50; i++) {
      live.set(i);
      live.iterator.poke();
      await jest.advanceTimersByTimeAsync(10);
    }
    expect(live.reads()).toBe(1);
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(next).resolves.toEqual({ done: false, value: 50 });
    expect(live.reads()).toBe(2);
    // after a quiet window the next change is read at once again
    await jest.advanceTimersByTimeAsync(5_000);
    const third = live.iterator.next();
    live.set(51);
    live.iterator.poke();
    await jest.advanceTimersByTimeAsync(0);
    await expect(third).resolves.toEqual({ done: false, value: 51 });
    expect(live.reads()).toBe(3);
  });

  it('ends a consumer waiting for a change when the subscription is returned, and unhooks once', async () => {
    const live = counting(1_000);
    let unhooked = 0;
    live.iterator.onEnd(() => (unhooked += 1));
    const waiting = live.iterator.next();
    await live.iterator.return();
    await live.iterator.return();
    await expect(waiting).resolves.toEqual({ done: true, value: undefined });
    expect(unhooked).toBe(1);
    live.iterator.poke();
    await jest.advanceTimersByTimeAsync(2_000);
    expect(live.reads()).toBe(0);
  });

  it('reports a consumer that stopped pulling while changes keep coming, holding one value', async () => {
    const live = counting(1_000, 5_000);
    const first = live.iterator.next();
    live.iterator.poke();
    await jest.advanceTimersByTimeAsync(1_000);
    await first; // the consumer took one message and never asks again
    for (let i = 0; i < 10; i++) {
      live.iterator.poke();
      await jest.advanceTimersByTimeAsync(1_000);
    }
    expect(live.slow()).toBeGreaterThan(0);
    expect(live.reads()).toBe(1);
  });
});
