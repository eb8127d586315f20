import { randomUUID } from 'node:crypto';
import { EventStoreError } from './errors';
import type { EventStore, ExpectedVersion } from './event-store.port';

export const ev = (n: number) => ({ type: 'Counted', data: { n } });
export const tenant = () => `tenant-${randomUUID()}`;

export interface ContractTarget {
  store: EventStore;
  /** Events in the whole store (every tenant), when the adapter can count them cheaply. */
  countAll?: () => Promise<number>;
}

/**
 * The bad-input part of eventStoreContract (event-store.contract.ts): every malformed call gets
 * its typed error, and neither its tenant nor (when countable) the store gains an event.
 */
export function badInputContract(getTarget: () => ContractTarget): void {
  let store: EventStore;
  let countAll: (() => Promise<number>) | undefined;
  beforeAll(() => {
    ({ store, countAll } = getTarget());
  });

  /** Runs `call` and shows that neither its tenant nor (when countable) the store gained an event. */
  const writesNothing = async (t: string, call: () => Promise<unknown>) => {
    const before = countAll ? await countAll() : 0;
    await call();
    expect((await store.readAll({ tenantId: t })).events).toEqual([]);
    if (countAll) expect(await countAll()).toBe(before);
  };

  describe('bad input gets a typed error and writes nothing', () => {
    const cases: [string, (t: string) => Promise<unknown>, string][] = [
      ['empty event list', (t) => store.appendToStream(t, 's', []), 'EMPTY_APPEND'],
      ['blank stream id', (t) => store.appendToStream(t, ' ', [ev(1)]), 'INVALID_STREAM_ID'],
      [
        'negative expected version',
        (t) => store.appendToStream(t, 's', [ev(1)], { expectedVersion: -1 }),
        'INVALID_EXPECTED_VERSION',
      ],
      [
        'fractional expected version',
        (t) => store.appendToStream(t, 's', [ev(1)], { expectedVersion: 1.5 }),
        'INVALID_EXPECTED_VERSION',
      ],
      [
        'unknown expected version',
        (t) =>
          store.appendToStream(t, 's', [ev(1)], { expectedVersion: 'latest' as ExpectedVersion }),
        'INVALID_EXPECTED_VERSION',
      ],
      [
        'event over 1 MB',
        (t) => store.appendToStream(t, 's', [{ type: 'Big', data: { s: 'x'.repeat(1 << 20) } }]),
        'EVENT_TOO_LARGE',
      ],
      [
        'bigint in data',
        (t) => store.appendToStream(t, 's', [{ type: 'X', data: { n: BigInt(1) } }]),
        'INVALID_EVENT',
      ],
      [
        'function in data',
        (t) => store.appendToStream(t, 's', [{ type: 'X', data: { f: () => 1 } }]),
        'INVALID_EVENT',
      ],
      [
        'NaN in data',
        (t) => store.appendToStream(t, 's', [{ type: 'X', data: { n: NaN } }]),
        'INVALID_EVENT',
      ],
      [
        'Date instance in data',
        (t) => store.appendToStream(t, 's', [{ type: 'X', data: { d: new Date() } }]),
        'INVALID_EVENT',
      ],
      [
        'event without type',
        (t) => store.appendToStream(t, 's', [{ type: '', data: {} }]),
        'INVALID_EVENT',
      ],
      ['no streams', (t) => store.appendToStreams(t, []), 'EMPTY_APPEND'],
      ['missing tenant', () => store.appendToStream('', 's', [ev(1)]), 'MISSING_TENANT'],
      [
        'missing tenant on read',
        () => store.readStream(undefined as unknown as string, 's'),
        'MISSING_TENANT',
      ],
    ];
    it.each(cases)('%s', async (_name, call, code) => {
      const t = tenant();
      await writesNothing(t, async () => {
        await expect(call(t)).rejects.toBeInstanceOf(EventStoreError);
        await expect(call(t)).rejects.toMatchObject({ code });
      });
    });

    it('rejects circular data', async () => {
      const t = tenant();
      const data: Record<string, unknown> = {};
      data.self = data;
      await writesNothing(t, () =>
        expect(store.appendToStream(t, 's', [{ type: 'X', data }])).rejects.toMatchObject({
          code: 'INVALID_EVENT',
        }),
      );
    });
  });
}
