import type { Decider, Event, EventMetadata, RecordedEvent } from '@app/core';

/**
 * `any`: no check; `no_stream`: the stream must not exist; `stream_exists`: it must;
 * a number n: the stream's current version must be exactly n (0 = no stream).
 */
export type ExpectedVersion = 'any' | 'no_stream' | 'stream_exists' | number;

export interface AppendOptions {
  expectedVersion?: ExpectedVersion;
  /** Idempotency key, unique per tenant: a repeated id returns the first result, appends nothing. */
  commandId?: string;
  /** Merged into every event's metadata (actor, correlation and causation ids). */
  metadata?: EventMetadata;
}

export interface AppendResult {
  /** The stream's version after the append (the last event's stream_version). */
  nextVersion: number;
  /** Global position of the last event written; usable as `consistentAfter`. */
  position: number;
  /** xid8 of the transaction that wrote it (decimal string). */
  transactionId: string;
  /** True when this result was returned for a repeated command id and nothing was appended. */
  duplicate: boolean;
}

export interface StreamAppend {
  streamId: string;
  events: readonly Event[];
  expectedVersion?: ExpectedVersion;
}

export interface MultiAppendResult {
  streams: { streamId: string; nextVersion: number }[];
  position: number;
  transactionId: string;
  duplicate: boolean;
}

export interface ReadStreamOptions {
  fromVersion?: number;
  toVersion?: number;
  /** Record time: only events recorded at or before this instant. */
  until?: Date;
}

export interface ReadStreamResult<E extends Event = Event> {
  /** The stream's current version (0 when it does not exist), regardless of the range read. */
  currentVersion: number;
  streamExists: boolean;
  events: RecordedEvent<E>[];
}

/** A point in the gap-free commit order: (transaction id, global position). */
export interface LogCheckpoint {
  transactionId: string;
  position: number;
}

export const LOG_START: LogCheckpoint = { transactionId: '0', position: 0 };

/** The log's order of two checkpoints: negative when `a` comes first, 0 when they are the same. */
export function compareCheckpoints(a: LogCheckpoint, b: LogCheckpoint): number {
  const ta = BigInt(a.transactionId);
  const tb = BigInt(b.transactionId);
  if (ta !== tb) return ta < tb ? -1 : 1;
  return a.position - b.position;
}

export interface ReadAllOptions {
  after?: LogCheckpoint;
  limit?: number;
  tenantId?: string;
}

export interface ReadAllResult {
  events: RecordedEvent[];
  /** Where the next read starts; equal to `after` when nothing new was read. */
  checkpoint: LogCheckpoint;
}

export interface AggregateStreamResult<S> {
  state: S;
  currentVersion: number;
  streamExists: boolean;
}

export interface EventStore {
  appendToStream(
    tenantId: string,
    streamId: string,
    events: readonly Event[],
    options?: AppendOptions,
  ): Promise<AppendResult>;
  /** Atomic append to several streams: all or nothing. */
  appendToStreams(
    tenantId: string,
    appends: readonly StreamAppend[],
    options?: Omit<AppendOptions, 'expectedVersion'>,
  ): Promise<MultiAppendResult>;
  readStream<E extends Event = Event>(
    tenantId: string,
    streamId: string,
    options?: ReadStreamOptions,
  ): Promise<ReadStreamResult<E>>;
  /**
   * Whole streams of one tenant, in the order asked, as readStream gives each (a command that
   * decides on two streams reads both in one round trip where the adapter can).
   */
  readStreams(tenantId: string, streamIds: readonly string[]): Promise<ReadStreamResult[]>;
  aggregateStream<S, E extends Event>(
    tenantId: string,
    streamId: string,
    decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState'>,
    options?: ReadStreamOptions,
  ): Promise<AggregateStreamResult<S>>;
  /** Every committed event in gap-free commit order, all tenants unless `tenantId` is given. */
  readAll(options?: ReadAllOptions): Promise<ReadAllResult>;
  /**
   * The log checkpoint of the tenant's event at `position` (read-your-writes); undefined when the
   * tenant has no event there. PostgreSQL: its transaction id; KurrentDB: its commit position.
   */
  checkpointAt(tenantId: string, position: number): Promise<LogCheckpoint | undefined>;
}

/** Nest injection token for the EventStore port. */
export const EVENT_STORE = Symbol('EVENT_STORE');
