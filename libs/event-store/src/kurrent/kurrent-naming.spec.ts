import fc from 'fast-check';
import type { RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';
import { ConcurrencyError, EventStoreError, StreamNotFoundError } from '../errors';
import type { ExpectedVersion } from '../event-store.port';
import {
  actualVersion,
  atOrBefore,
  commandEventId,
  commandStreamName,
  conflict,
  decodeMetadata,
  encodeMetadata,
  fromCheckpoint,
  parseStreamName,
  tenantPrefix,
  toCheckpoint,
  toRecorded,
  toStreamName,
  toStreamState,
  toVersion,
} from './kurrent-naming';

// ids built from the characters that could confuse a naive `${tenant}-${stream}` scheme
const tricky = fc
  .array(fc.constantFrom('a', 'b', 't', '-', ':', '%', '3', 'A', '$', ' ', 'é', '😀', '/'), {
    minLength: 1,
    maxLength: 8,
  })
  .map((chars) => chars.join(''))
  .filter((s) => s.trim() !== '');

describe('KurrentDB stream names', () => {
  it('puts the tenant in front, escaped, and keeps the stream id as is', () => {
    expect(toStreamName('acme', 'union-1')).toBe('t-acme:union-1');
    expect(toStreamName('a:b', 'c')).toBe('t-a%3Ab:c');
    expect(toStreamName('a', 'b:c')).toBe('t-a:b:c');
    expect(tenantPrefix('acme')).toBe('t-acme:');
    expect(commandStreamName('acme', 'cmd-1')).toBe('c-acme:cmd-1');
  });

  it('is injective and round-trips (property)', () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, tricky, (t1, s1, t2, s2) => {
        const n1 = toStreamName(t1, s1);
        const n2 = toStreamName(t2, s2);
        expect(n1 === n2).toBe(t1 === t2 && s1 === s2);
        expect(parseStreamName(n1)).toEqual({ tenantId: t1, streamId: s1 });
      }),
      { numRuns: 2000 },
    );
  });

  it("never lets one tenant's stream id land under another tenant's prefix (property)", () => {
    fc.assert(
      fc.property(tricky, tricky, tricky, (t1, t2, stream) => {
        fc.pre(t1 !== t2);
        expect(toStreamName(t2, stream).startsWith(tenantPrefix(t1))).toBe(false);
        expect(toStreamName(t1, stream).startsWith(tenantPrefix(t1))).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // the classic escapes of a `${tenant}-${stream}` scheme
    expect(toStreamName('a', 'b:x')).not.toBe(toStreamName('a:b', 'x'));
    expect(toStreamName('b', 't-a:x').startsWith(tenantPrefix('a'))).toBe(false);
    expect(toStreamName('a', 'x').startsWith(tenantPrefix('a:'))).toBe(false);
  });

  it('never produces a system ($) or command-marker name for data, and parses only its own names', () => {
    expect(toStreamName('$all', '$x').startsWith('t-')).toBe(true);
    expect(parseStreamName('$all')).toBeUndefined();
    expect(parseStreamName('$et-Counted')).toBeUndefined();
    expect(parseStreamName('c-acme:cmd-1')).toBeUndefined();
    expect(parseStreamName('t-acme')).toBeUndefined();
    expect(parseStreamName('t-%61:x')).toBeUndefined(); // not the canonical encoding of "a"
    expect(parseStreamName('t-%E0%A4%A:x')).toBeUndefined(); // malformed escape
  });

  it('refuses bad tenants and stream ids with the same typed errors as the PostgreSQL adapter', () => {
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (error) {
        expect(error).toBeInstanceOf(EventStoreError);
        return (error as EventStoreError).code;
      }
      return 'no error';
    };
    expect(code(() => toStreamName('', 's'))).toBe('MISSING_TENANT');
    expect(code(() => toStreamName(undefined as unknown as string, 's'))).toBe('MISSING_TENANT');
    expect(code(() => tenantPrefix('a\u0000'))).toBe('MISSING_TENANT');
    expect(code(() => toStreamName('\uD800', 's'))).toBe('MISSING_TENANT');
    expect(code(() => toStreamName('t', ' '))).toBe('INVALID_STREAM_ID');
    expect(code(() => toStreamName('t', 'x'.repeat(201)))).toBe('INVALID_STREAM_ID');
    expect(code(() => toStreamName('t', 'a\uDC00'))).toBe('INVALID_STREAM_ID');
    expect(code(() => commandStreamName('t', '\uD800x'))).toBe('INVALID_COMMAND_ID');
  });
});

describe('KurrentDB versions and expected versions', () => {
  it('shifts revisions (from 0) to versions (from 1)', () => {
    expect(toVersion(0n)).toBe(1);
    expect(toVersion(41n)).toBe(42);
    expect(actualVersion('no_stream')).toBe(0);
    expect(actualVersion(-1n)).toBe(0);
    expect(actualVersion(0n)).toBe(1);
    expect(actualVersion(4n)).toBe(5);
  });

  it('maps every expected version exactly', () => {
    expect(toStreamState(undefined)).toBe('any');
    expect(toStreamState('any')).toBe('any');
    expect(toStreamState('no_stream')).toBe('no_stream');
    expect(toStreamState('stream_exists')).toBe('stream_exists');
    expect(toStreamState(0)).toBe('no_stream'); // version 0 = no stream
    expect(toStreamState(1)).toBe(0n);
    expect(toStreamState(5)).toBe(4n);
    for (const bad of [-1, 1.5, NaN, 2 ** 31, 'latest'] as ExpectedVersion[]) {
      expect(() => toStreamState(bad)).toThrow(EventStoreError);
      expect(() => toStreamState(bad)).toThrow(/Expected version must be/);
    }
  });

  it('reports a failed expectation as the port does', () => {
    expect(conflict('s', 'stream_exists', 0)).toBeInstanceOf(StreamNotFoundError);
    expect(conflict('s', 1, 0)).toMatchObject({ code: 'CONCURRENCY_CONFLICT', actual: 0 });
    const e = conflict('s', 'no_stream', 3);
    expect(e).toBeInstanceOf(ConcurrencyError);
    expect(e).toMatchObject({ streamId: 's', expected: 'no_stream', actual: 3 });
  });
});

describe('KurrentDB $all positions as checkpoints', () => {
  it('maps commit to transactionId and prepare to position, and back', () => {
    const p = { commit: 18_446_744_073_709_551_000n, prepare: 1234n };
    expect(toCheckpoint(p)).toEqual({ transactionId: '18446744073709551000', position: 1234 });
    expect(fromCheckpoint(toCheckpoint(p))).toEqual(p);
    expect(fromCheckpoint({ transactionId: '0', position: 0 })).toEqual({
      commit: 0n,
      prepare: 0n,
    });
  });

  it('refuses checkpoints it cannot represent', () => {
    expect(() => toCheckpoint({ commit: 1n, prepare: 2n ** 53n })).toThrow(EventStoreError);
    for (const bad of [
      { transactionId: 'x', position: 0 },
      { transactionId: '1', position: -1 },
      { transactionId: '1', position: 1.5 },
    ]) {
      expect(() => fromCheckpoint(bad)).toThrow(EventStoreError);
    }
  });

  it('orders by commit, then prepare', () => {
    expect(atOrBefore({ commit: 1n, prepare: 9n }, { commit: 2n, prepare: 0n })).toBe(true);
    expect(atOrBefore({ commit: 2n, prepare: 3n }, { commit: 2n, prepare: 3n })).toBe(true);
    expect(atOrBefore({ commit: 2n, prepare: 4n }, { commit: 2n, prepare: 3n })).toBe(false);
  });
});

describe('KurrentDB command event ids and metadata', () => {
  it('derives the same UUID for the same (tenant, command, index), a different one otherwise', () => {
    const id = commandEventId('acme', 'cmd-1', 0);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(commandEventId('acme', 'cmd-1', 0)).toBe(id);
    expect(commandEventId('acme', 'cmd-1', 1)).not.toBe(id);
    expect(commandEventId('other', 'cmd-1', 0)).not.toBe(id);
    expect(commandEventId('acme', 'cmd-2', 0)).not.toBe(id);
    // no concatenation ambiguity
    expect(commandEventId('a', 'b:c', 0)).not.toBe(commandEventId('a:b', 'c', 0));
  });

  it('round-trips metadata through string-only properties', () => {
    const metadata = { actor: 'u1', commandId: 'c', n: 3, nested: { ok: true } };
    const wire = encodeMetadata(metadata, 'append-1');
    expect(Object.values(wire).every((v) => typeof v === 'string')).toBe(true);
    expect(decodeMetadata(wire)).toEqual({ metadata, appendId: 'append-1' });
    expect(decodeMetadata(undefined)).toEqual({ metadata: {} });
    expect(decodeMetadata({ meta: 'not json' })).toEqual({ metadata: {} });
    expect(decodeMetadata(new Uint8Array([1]))).toEqual({ metadata: {} });
  });

  it('turns a KurrentDB event into a RecordedEvent', () => {
    const created = new Date('2025-01-02T03:04:05.678Z');
    const event = {
      streamId: 't-acme:union-1',
      id: 'e1',
      isJson: true,
      revision: 2n,
      type: 'Counted',
      created,
      data: { n: 1 },
      metadata: encodeMetadata({ actor: 'u1' }, 'x'),
      position: { commit: 900n, prepare: 950n },
    } as KurrentRecordedEvent;
    expect(toRecorded(event, 'acme', 'union-1')).toEqual({
      type: 'Counted',
      data: { n: 1 },
      metadata: { actor: 'u1' },
      eventId: 'e1',
      tenantId: 'acme',
      streamId: 'union-1',
      streamVersion: 3,
      globalPosition: 950,
      transactionId: '900',
      recordedAt: created,
    });
  });
});
