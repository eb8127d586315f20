import type { ExpectedVersion } from './event-store.port';

export type EventStoreErrorCode =
  | 'CONCURRENCY_CONFLICT'
  | 'STREAM_NOT_FOUND'
  | 'EMPTY_APPEND'
  | 'INVALID_EXPECTED_VERSION'
  | 'INVALID_STREAM_ID'
  | 'INVALID_EVENT'
  | 'EVENT_TOO_LARGE'
  | 'MISSING_TENANT'
  | 'INVALID_COMMAND_ID';

export class EventStoreError extends Error {
  constructor(
    readonly code: EventStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ConcurrencyError extends EventStoreError {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedVersion,
    readonly actual: number,
  ) {
    super(
      'CONCURRENCY_CONFLICT',
      `Stream ${streamId} is at version ${actual}, expected ${String(expected)}`,
    );
  }
}

export class StreamNotFoundError extends EventStoreError {
  constructor(readonly streamId: string) {
    super('STREAM_NOT_FOUND', `Stream ${streamId} does not exist`);
  }
}

export class InvalidAppendError extends EventStoreError {}
