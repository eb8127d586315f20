import { forbidden } from '@app/auth';
import { GraphQLError } from 'graphql';
import { LiveIterator } from './live-iterator';
import { RETRY_FIRST_MS, RETRY_MAX_MS, retryDelay } from './live-read-failures';

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

  /** A source whose reads fail with `error` while `failing` is set. */
  function failing(error: Error) {
    const state = { value: 0, failing: true, reads: 0, retried: 0, ended: [] as unknown[] };
    const iterator = new LiveIterator<number>({
      read: () => {
        state.reads += 1;
        return state.failing ? Promise.reject(error) : Promise.resolve({ items: [state.value] });
      },
      windowMs: 0,
      slowAfterMs: 10_000,
      onSlow: () => undefined,
      onRetry: () => (state.retried += 1),
      toError: (e) => {
        state.ended.push(e);
        return new GraphQLError('ended', { extensions: { code: 'FORBIDDEN' } });
      },
    });
    return { state, iterator };
  }

  it('keeps the subscription open through failed reads, backing off, and sends the latest state', async () => {
    // a database error (pool timeout, permission, lost connection) is not the subscriber's own
    const live = failing(Object.assign(new Error('timeout exceeded'), { code: '57P01' }));
    live.state.value = 1;
    live.iterator.poke();
    const next = live.iterator.next();
    let settled = false;
    void next.then(() => (settled = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(live.state.reads).toBe(1);
    // changes during the backoff do not read sooner: the retry reads them
    for (let i = 2; i <= 5; i++) {
      live.state.value = i;
      live.iterator.poke();
    }
    await jest.advanceTimersByTimeAsync(RETRY_FIRST_MS - 1);
    expect(live.state.reads).toBeLessThanOrEqual(2);
    await jest.advanceTimersByTimeAsync(RETRY_MAX_MS * 3);
    expect(live.state.reads).toBeGreaterThan(2);
    expect(settled).toBe(false);
    live.state.failing = false;
    await jest.advanceTimersByTimeAsync(RETRY_MAX_MS);
    await expect(next).resolves.toEqual({ done: false, value: 5 });
    expect(live.state.retried).toBe(live.state.reads - 1);
    expect(live.state.ended).toEqual([]);
  });

  it("ends the subscription with the subscriber's own error, at once", async () => {
    const own = forbidden('the union is no longer in your scope');
    const live = failing(own);
    live.iterator.poke();
    await expect(live.iterator.next()).rejects.toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(live.state.ended).toEqual([own]);
    expect(live.state.retried).toBe(0);
    await expect(live.iterator.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('backs off from 250 ms doubling to 4 s, jittered to half or more', () => {
    expect([1, 2, 3, 4, 5, 9].map((n) => retryDelay(n, () => 1))).toEqual([
      250, 500, 1_000, 2_000, 4_000, 4_000,
    ]);
    expect(retryDelay(1, () => 0)).toBe(125);
  });
});
