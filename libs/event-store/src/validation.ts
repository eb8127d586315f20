import type { Event } from '@app/core';
import { EventStoreError, InvalidAppendError } from './errors';
import type { ExpectedVersion } from './event-store.port';

export const MAX_EVENT_BYTES = 1024 * 1024;
const MAX_ID_LENGTH = 200;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

export function validateTenant(tenantId: unknown): asserts tenantId is string {
  if (
    typeof tenantId !== 'string' ||
    tenantId.trim() === '' ||
    tenantId.length > 100 ||
    CONTROL.test(tenantId)
  ) {
    throw new EventStoreError(
      'MISSING_TENANT',
      'A tenant id (1-100 printable characters) is required',
    );
  }
}

export function validateStreamId(streamId: unknown): asserts streamId is string {
  if (
    typeof streamId !== 'string' ||
    streamId.trim() === '' ||
    streamId.length > MAX_ID_LENGTH ||
    CONTROL.test(streamId)
  ) {
    throw new EventStoreError(
      'INVALID_STREAM_ID',
      `A stream id must be 1-${MAX_ID_LENGTH} printable characters`,
    );
  }
}

export function validateCommandId(commandId: unknown): void {
  if (commandId === undefined) return;
  if (
    typeof commandId !== 'string' ||
    commandId.trim() === '' ||
    commandId.length > MAX_ID_LENGTH
  ) {
    throw new EventStoreError(
      'INVALID_COMMAND_ID',
      `A command id must be 1-${MAX_ID_LENGTH} characters`,
    );
  }
}

/** any -> null, stream_exists -> -1, no_stream -> 0, n -> n (the encoding es_append expects). */
export function encodeExpectedVersion(expected: ExpectedVersion | undefined): number | null {
  if (expected === undefined || expected === 'any') return null;
  if (expected === 'no_stream') return 0;
  if (expected === 'stream_exists') return -1;
  if (
    typeof expected === 'number' &&
    Number.isSafeInteger(expected) &&
    expected >= 0 &&
    expected <= 2 ** 31 - 1
  ) {
    return expected;
  }
  throw new EventStoreError(
    'INVALID_EXPECTED_VERSION',
    `Expected version must be 'any', 'no_stream', 'stream_exists' or an integer >= 0, got ${String(expected)}`,
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'object') return value.constructor?.name ?? 'object';
  return typeof value;
}

/** Only what survives a JSON round trip unchanged: plain objects, arrays, strings, finite numbers, booleans, null. */
function assertJson(value: unknown, path: string, seen: Set<object>): void {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return;
    case 'number':
      if (!Number.isFinite(value))
        throw new InvalidAppendError('INVALID_EVENT', `${path} is not a finite number`);
      return;
    case 'undefined':
      return; // dropped by JSON, like an absent optional field
    case 'object': {
      if (value === null) return;
      if (seen.has(value)) throw new InvalidAppendError('INVALID_EVENT', `${path} is circular`);
      const proto = Object.getPrototypeOf(value) as unknown;
      if (Array.isArray(value)) {
        seen.add(value);
        value.forEach((item, i) => {
          if (item === undefined)
            throw new InvalidAppendError('INVALID_EVENT', `${path}[${i}] is undefined`);
          assertJson(item, `${path}[${i}]`, seen);
        });
        seen.delete(value);
        return;
      }
      if (proto !== Object.prototype && proto !== null) {
        throw new InvalidAppendError(
          'INVALID_EVENT',
          `${path} is a ${describe(value)}, not plain JSON data`,
        );
      }
      seen.add(value);
      for (const [key, item] of Object.entries(value)) assertJson(item, `${path}.${key}`, seen);
      seen.delete(value);
      return;
    }
    default:
      throw new InvalidAppendError(
        'INVALID_EVENT',
        `${path} is a ${typeof value}, not JSON-serialisable`,
      );
  }
}

/**
 * The same rules as `assertJson`, as a yes/no without building a path per field or tracking the
 * objects seen (appends of thousands of events spent more time naming fields than checking them).
 * Too deep counts as no: `assertJson` then finds the cycle, or passes, and says which.
 */
function isPlainJson(value: unknown, depth: number): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (depth > 64) return false;
      if (Array.isArray(value)) {
        for (const item of value as unknown[])
          if (item === undefined || !isPlainJson(item, depth + 1)) return false;
        return true;
      }
      const proto = Object.getPrototypeOf(value) as unknown;
      if (proto !== Object.prototype && proto !== null) return false;
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) if (!isPlainJson(record[key], depth + 1)) return false;
      return true;
    }
    default:
      return false;
  }
}

export interface EncodedEvent {
  s: number;
  id: string;
  t: string;
  d: unknown;
  m: unknown;
}

export function validateEvents(
  events: unknown,
  streamLabel: string,
): asserts events is readonly Event[] {
  if (!Array.isArray(events) || events.length === 0) {
    throw new InvalidAppendError('EMPTY_APPEND', `No events to append to ${streamLabel}`);
  }
  events.forEach((event: unknown, i) => {
    const e = event as Partial<Event> | null;
    if (
      !e ||
      typeof e !== 'object' ||
      typeof e.type !== 'string' ||
      e.type.trim() === '' ||
      e.type.length > MAX_ID_LENGTH
    ) {
      throw new InvalidAppendError(
        'INVALID_EVENT',
        `Event ${i} needs a type (1-${MAX_ID_LENGTH} characters)`,
      );
    }
    if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) {
      throw new InvalidAppendError(
        'INVALID_EVENT',
        `Event ${i} (${e.type}) needs an object as data`,
      );
    }
    if (!isPlainJson(e.data, 0)) assertJson(e.data, `event ${i} (${e.type}) data`, new Set());
  });
}

export function assertSize(serialised: string, label: string): void {
  // a UTF-16 code unit is at most 3 bytes of UTF-8: short strings need no byte count
  if (serialised.length * 3 <= MAX_EVENT_BYTES) return;
  if (Buffer.byteLength(serialised, 'utf8') > MAX_EVENT_BYTES) {
    throw new InvalidAppendError('EVENT_TOO_LARGE', `${label} exceeds ${MAX_EVENT_BYTES} bytes`);
  }
}
