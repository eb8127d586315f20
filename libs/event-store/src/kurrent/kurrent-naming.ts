import { createHash } from 'node:crypto';
import type { Event, EventMetadata, RecordedEvent } from '@app/core';
// types only: this module (and so the package index) never loads the KurrentDB client
import type {
  AppendStreamState,
  RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { ConcurrencyError, EventStoreError, StreamNotFoundError } from '../errors';
import type { ExpectedVersion, LogCheckpoint } from '../event-store.port';
import { encodeExpectedVersion, validateStreamId, validateTenant } from '../validation';

/*
 * Pure mapping between the EventStore port and KurrentDB (no I/O; unit-tested in
 * kurrent-naming.spec.ts).
 *
 * Tenancy. KurrentDB has no row-level security, so isolation rests on the stream name alone:
 *   data stream    t-<enc(tenantId)>:<streamId>
 *   command marker c-<enc(tenantId)>:<commandId>
 * enc() is encodeURIComponent, which never emits ':' and is reversible on well-formed strings,
 * so the first ':' ends the tenant part: the mapping is injective and a stream id (which may
 * contain ':' or look like "other-tenant:x") can never reach into another tenant's prefix
 * `t-<enc(tenantId)>:`. Ids with lone UTF-16 surrogates are refused (UTF-8 would merge them).
 * Names never start with '$', so no tenant can address a KurrentDB system stream.
 *
 * Versions. Our stream versions start at 1 (0 = no stream), KurrentDB revisions at 0:
 * version = revision + 1.
 */

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export const DATA_PREFIX = 't-';
export const COMMAND_PREFIX = 'c-';

function encodeTenant(tenantId: unknown): string {
  validateTenant(tenantId);
  if (LONE_SURROGATE.test(tenantId)) {
    throw new EventStoreError('MISSING_TENANT', 'A tenant id must be well-formed Unicode');
  }
  return encodeURIComponent(tenantId);
}

function checkStreamId(streamId: unknown): asserts streamId is string {
  validateStreamId(streamId);
  if (LONE_SURROGATE.test(streamId)) {
    throw new EventStoreError('INVALID_STREAM_ID', 'A stream id must be well-formed Unicode');
  }
}

/** The KurrentDB stream that holds (tenantId, streamId). Validates both. */
export function toStreamName(tenantId: string, streamId: string): string {
  const tenant = encodeTenant(tenantId);
  checkStreamId(streamId);
  return `${DATA_PREFIX}${tenant}:${streamId}`;
}

/** Every data stream of one tenant starts with this, and no other tenant's does. */
export function tenantPrefix(tenantId: string): string {
  return `${DATA_PREFIX}${encodeTenant(tenantId)}:`;
}

/** The stream holding the stored result of (tenantId, commandId). */
export function commandStreamName(tenantId: string, commandId: string): string {
  if (LONE_SURROGATE.test(commandId)) {
    throw new EventStoreError('INVALID_COMMAND_ID', 'A command id must be well-formed Unicode');
  }
  return `${COMMAND_PREFIX}${encodeTenant(tenantId)}:${commandId}`;
}

/** Inverse of toStreamName; undefined for names this adapter did not produce. */
export function parseStreamName(name: string): { tenantId: string; streamId: string } | undefined {
  if (!name.startsWith(DATA_PREFIX)) return undefined;
  const colon = name.indexOf(':', DATA_PREFIX.length);
  if (colon < 0) return undefined;
  try {
    const tenantId = decodeURIComponent(name.slice(DATA_PREFIX.length, colon));
    const streamId = name.slice(colon + 1);
    // only canonical encodings round-trip (e.g. "%41" for "A" is not ours)
    if (encodeURIComponent(tenantId) !== name.slice(DATA_PREFIX.length, colon)) return undefined;
    if (tenantId === '' || streamId === '') return undefined;
    return { tenantId, streamId };
  } catch {
    return undefined;
  }
}

export const toVersion = (revision: bigint): number => Number(revision) + 1;
export const toRevision = (version: number): bigint => BigInt(version - 1);

/** Our expected version as KurrentDB's stream state (validated like the PostgreSQL adapter). */
export function toStreamState(expected: ExpectedVersion | undefined): AppendStreamState {
  const encoded = encodeExpectedVersion(expected);
  if (encoded === null) return 'any';
  if (encoded === -1) return 'stream_exists';
  if (encoded === 0) return 'no_stream';
  return toRevision(encoded);
}

/** KurrentDB's actual state in a WrongExpectedVersionError as our version (0 = no stream). */
export function actualVersion(actual: bigint | string): number {
  return typeof actual === 'bigint' && actual >= 0n ? toVersion(actual) : 0;
}

/**
 * $all positions as checkpoints: transactionId = commit position (decimal string; shared by the
 * events of one append), position = prepare position (distinct per event, grows along $all).
 */
export function toCheckpoint(position: { commit: bigint; prepare: bigint }): LogCheckpoint {
  if (position.prepare > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new EventStoreError(
      'INVALID_EXPECTED_VERSION',
      `prepare position ${position.prepare} exceeds 2^53`,
    );
  }
  return { transactionId: position.commit.toString(10), position: Number(position.prepare) };
}

export function fromCheckpoint(checkpoint: LogCheckpoint): { commit: bigint; prepare: bigint } {
  if (
    !/^\d{1,20}$/.test(checkpoint.transactionId) ||
    !Number.isSafeInteger(checkpoint.position) ||
    checkpoint.position < 0
  ) {
    throw new EventStoreError('INVALID_EXPECTED_VERSION', 'readAll: invalid checkpoint');
  }
  return { commit: BigInt(checkpoint.transactionId), prepare: BigInt(checkpoint.position) };
}

/** True when position a lies at or before b in $all order (commit, then prepare). */
export function atOrBefore(
  a: { commit: bigint; prepare: bigint },
  b: { commit: bigint; prepare: bigint },
): boolean {
  return a.commit < b.commit || (a.commit === b.commit && a.prepare <= b.prepare);
}

const ID_NAMESPACE = Buffer.from('5f0b6c1e9a0d4c5e8d2f3a7b1c9e4d60', 'hex');

/**
 * A name-based (version 5 style, SHA-1) UUID for event `index` of a command: the same
 * (tenant, commandId, index) always gives the same id, so a retried append carries the same
 * event ids and KurrentDB's own idempotency check recognises it.
 */
export function commandEventId(
  tenantId: string,
  commandId: string,
  index: number | string,
): string {
  const hash = createHash('sha1')
    .update(ID_NAMESPACE)
    .update(JSON.stringify([tenantId, commandId, String(index)]))
    .digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * Event metadata on the wire: `{ meta: "<our metadata as JSON>", appendId: "<uuid>" }`. String
 * values only, because KurrentDB's multi-stream append accepts nothing else; the same shape is
 * used for single-stream appends so there is one decoder. appendId names the call that wrote
 * the event, which tells a fresh append from one KurrentDB deduplicated.
 */
export function encodeMetadata(metadata: EventMetadata, appendId: string): Record<string, string> {
  return { meta: JSON.stringify(metadata), appendId };
}

export function decodeMetadata(raw: unknown): { metadata: EventMetadata; appendId?: string } {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || raw instanceof Uint8Array) {
    return { metadata: {} };
  }
  const { meta, appendId } = raw as { meta?: unknown; appendId?: unknown };
  let metadata: EventMetadata = {};
  if (typeof meta === 'string') {
    try {
      const parsed: unknown = JSON.parse(meta);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) {
        metadata = parsed as EventMetadata;
      }
    } catch {
      // not ours: keep empty metadata
    }
  }
  return typeof appendId === 'string' ? { metadata, appendId } : { metadata };
}

export function positionOf(event: KurrentRecordedEvent): { commit: bigint; prepare: bigint } {
  if (!event.position) throw new Error('KurrentDB returned no event position (needs 22.6+)');
  return event.position;
}

/** A KurrentDB event as the port's RecordedEvent (positions as in toCheckpoint). */
export function toRecorded<E extends Event>(
  event: KurrentRecordedEvent,
  tenantId: string,
  streamId: string,
): RecordedEvent<E> {
  const { transactionId, position } = toCheckpoint(positionOf(event));
  return {
    type: event.type,
    data: event.data as E['data'],
    metadata: decodeMetadata(event.metadata).metadata,
    eventId: event.id,
    tenantId,
    streamId,
    streamVersion: toVersion(event.revision),
    globalPosition: position,
    transactionId,
    recordedAt: event.created,
  };
}

/** An expected-version failure as the port reports it. */
export function conflict(streamId: string, expected: ExpectedVersion, actual: number): Error {
  if (expected === 'stream_exists' && actual === 0) return new StreamNotFoundError(streamId);
  return new ConcurrencyError(streamId, expected, actual);
}
