import { randomUUID } from 'node:crypto';

export function newId(): string {
  return randomUUID();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** Stream ids are "<category>-<id>", e.g. "union-3f2a…", so categories can be filtered by prefix. */
export function streamId(category: string, id: string): string {
  return `${category}-${id}`;
}

const ID_MAX_LENGTH = 128;
const CONTROL = /\p{Cc}/u;

/** NUL, ESC and the like: never part of a name, number or id (and NUL cannot be stored as text). */
export function hasControlCharacters(value: unknown): boolean {
  return typeof value === 'string' && CONTROL.test(value);
}

/**
 * What any id accepted from outside looks like: 1 to 128 characters, no control characters.
 * Anything else names no entity (and a NUL byte could not even be sent to PostgreSQL as text).
 */
export function isWellFormedId(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    value !== '' &&
    value.length <= ID_MAX_LENGTH &&
    !CONTROL.test(value)
  );
}
