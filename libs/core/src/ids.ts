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
