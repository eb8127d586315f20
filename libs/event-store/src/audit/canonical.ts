import { createHash } from 'node:crypto';
import type { RecordedEvent } from '@app/core';

/** Quoted keys already seen (event data has few distinct keys); bounded whatever the data. */
const quotedKeys = new Map<string, string>();
const MAX_QUOTED_KEYS = 4_096;

function quoted(key: string): string {
  let json = quotedKeys.get(key);
  if (json === undefined) {
    json = JSON.stringify(key);
    if (quotedKeys.size < MAX_QUOTED_KEYS) quotedKeys.set(key, json);
  }
  return json;
}

/**
 * JSON with object keys sorted at every level: the same value always gives the same bytes. Built
 * by concatenation (no entry arrays, closures or joins per object: the sealer hashes every event,
 * and this was most of its time); the bytes are those of the first version, which the chain's
 * hashes depend on (a test compares both on generated values).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      // a hole stays empty, as Array.prototype.map and join left it
      if (i in value) out += canonicalJson(value[i]);
    }
    return `${out}]`;
  }
  const record = value as Record<string, unknown>;
  // default sort: UTF-16 code unit order, the order of the `<` comparison used before
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const item = record[key];
    if (item === undefined) continue;
    if (!first) out += ',';
    out += `${quoted(key)}:${canonicalJson(item)}`;
    first = false;
  }
  return `${out}}`;
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
