import type { RecordedEvent } from '@app/core';
import { decodeLiveChange, encodeLiveChanges, unionsTouchedBy } from './live-change';

const event = (streamId: string, data: Record<string, unknown>): RecordedEvent => ({
  type: 'X',
  data,
  metadata: {},
  eventId: 'e',
  tenantId: 't',
  streamId,
  streamVersion: 1,
  globalPosition: 1,
  transactionId: '1',
  recordedAt: new Date(0),
});

describe('live change messages', () => {
  it('split many union ids over NOTIFY payloads under 8,000 bytes and read back the same ids', () => {
    const unionIds = Array.from({ length: 2_000 }, (_, i) => `union-${i}-${'x'.repeat(20)}`);
    const payloads = encodeLiveChanges({ kind: 'unions', tenantId: 'tenant-a', unionIds });
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.every((p) => Buffer.byteLength(p) < 8_000)).toBe(true);
    const decoded = payloads.map(decodeLiveChange);
    expect(decoded.flatMap((c) => (c?.kind === 'unions' ? c.unionIds : []))).toEqual(unionIds);
    expect(decoded.every((c) => c?.tenantId === 'tenant-a')).toBe(true);
  });

  it('ignores malformed payloads', () => {
    for (const bad of [undefined, '', 'not json', '[]', '{}', '{"t":""}', '{"t":"a","u":[1]}'])
      expect(decodeLiveChange(bad)).toBeNull();
    expect(decodeLiveChange(encodeLiveChanges({ kind: 'audit', tenantId: 'a' })[0])).toEqual({
      kind: 'audit',
      tenantId: 'a',
    });
  });

  it('finds the unions an event names: its union stream, a member union, both transfer ends, joint partners', () => {
    const touched = unionsTouchedBy([
      event('union-u1', { parentId: 'p1' }),
      event('member-m1', { memberId: 'm1', unionId: 'u2' }),
      event('member-m2', { fromUnionId: 'u3', toUnionId: 'u4' }),
      event('union-u5', { jointWithUnionIds: ['u6', 7] }),
    ]);
    expect([...touched].sort()).toEqual(['p1', 'u1', 'u2', 'u3', 'u4', 'u5', 'u6']);
  });
});
