import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@app/core';

/** JSON with object keys sorted at every level: the same value always gives the same bytes. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v: unknown) => canonicalJson(v)).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** Everything that identifies an event and what it says; an auditor can recompute it from an export. */
export function canonicalEvent(event: RecordedEvent): string {
  return canonicalJson({
    tenantId: event.tenantId,
    streamId: event.streamId,
    streamVersion: event.streamVersion,
    globalPosition: event.globalPosition,
    eventId: event.eventId,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    recordedAt: event.recordedAt.toISOString(),
  });
}

export const GENESIS_HASH = Buffer.alloc(32);

/** hash_n = sha256(hash_{n-1} || canonical(event_n)) */
export function chainHash(previous: Buffer, event: RecordedEvent): Buffer {
  return createHash('sha256').update(previous).update(canonicalEvent(event), 'utf8').digest();
}
