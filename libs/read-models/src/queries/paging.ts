/** Relay-style pages: opaque cursors, `first` capped. */
export interface Page<T> {
  nodes: T[];
  hasNextPage: boolean;
  endCursor: string | null;
}

export const MAX_PAGE_SIZE = 500;

export class InvalidCursorError extends Error {
  readonly code = 'INVALID_CURSOR';
  constructor() {
    super('The cursor is not one this API issued; start again without `after`');
  }
}

export function encodeCursor(value: string): string {
  return Buffer.from(`v1:${value}`, 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string): string {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!text.startsWith('v1:')) throw new InvalidCursorError();
  return text.slice(3);
}

export function pageSize(first: number | null | undefined, fallback = 50): number {
  if (first === null || first === undefined) return fallback;
  if (!Number.isInteger(first) || first < 0)
    throw new RangeError('`first` must be a non-negative integer');
  return Math.min(first, MAX_PAGE_SIZE);
}
