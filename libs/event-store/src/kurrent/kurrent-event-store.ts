import { randomUUID } from 'node:crypto';
import type { Decider, Event } from '@app/core';
import {
  KurrentDBClient,
  WrongExpectedVersionError,
  jsonEvent,
  type AppendStreamRequest,
  type EventData,
  type JSONType,
} from '@kurrent/kurrentdb-client';
import { aggregateFromStream } from '../aggregate-stream';
import { EventStoreError } from '../errors';
import type {
  AggregateStreamResult,
  ExpectedVersion,
  AppendOptions,
  AppendResult,
  EventStore,
  LogCheckpoint,
  MultiAppendResult,
  ReadAllOptions,
  ReadAllResult,
  ReadStreamOptions,
  ReadStreamResult,
  StreamAppend,
} from '../event-store.port';
import { assertSize, validateCommandId, validateEvents, validateTenant } from '../validation';
import { KurrentCommandLog, type StoredCommand } from './kurrent-commands';
import {
  actualVersion,
  commandEventId,
  commandStreamName,
  conflict,
  decodeMetadata,
  encodeMetadata,
  parseStreamName,
  positionOf,
  toCheckpoint,
  toStreamName,
  toStreamState,
  toVersion,
} from './kurrent-naming';
import { checkpointAt, eventAt, readAll, readStream } from './kurrent-reads';

type Options = Omit<AppendOptions, 'expectedVersion'>;

/**
 * The KurrentDB adapter of the EventStore port (over @kurrent/kurrentdb-client). Stream naming,
 * version and checkpoint mapping: kurrent-naming.ts; command ids: kurrent-commands.ts.
 *
 * Positions: every append reads its last event back, because the append response does not say
 * which event its position belongs to (and carries none for a deduplicated write); the result's
 * position/transactionId are that event's $all prepare/commit positions, the same values
 * readAll reports, and `duplicate` is decided by the appendId in that event's metadata.
 */
export class KurrentEventStore implements EventStore {
  private readonly commands: KurrentCommandLog;

  constructor(private readonly client: KurrentDBClient) {
    this.commands = new KurrentCommandLog(client);
  }

  /** e.g. `kurrentdb://localhost:2113?tls=false` */
  static connect(url: string): KurrentEventStore {
    return new KurrentEventStore(KurrentDBClient.connectionString(url));
  }

  close(): Promise<void> {
    return this.client.dispose();
  }

  async appendToStream(
    tenantId: string,
    streamId: string,
    events: readonly Event[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    validateTenant(tenantId);
    validateCommandId(options.commandId);
    const name = toStreamName(tenantId, streamId);
    validateEvents(events, streamId);
    const streamState = toStreamState(options.expectedVersion);
    const { commandId } = options;
    const appendId = randomUUID();
    const data = this.encode(tenantId, streamId, events, options, appendId, 0);
    const single = (s: StoredCommand): AppendResult => ({
      nextVersion: s.streams[0]?.nextVersion ?? 0,
      position: s.position,
      transactionId: s.transactionId,
      duplicate: true,
    });
    if (commandId !== undefined) {
      const { stored } = await this.commands.lookup(tenantId, commandId);
      if (stored) return single(stored);
    }
    let revision: bigint;
    try {
      const written = await this.client.appendToStream(name, data, { streamState });
      if (!written.success) {
        throw conflict(
          streamId,
          options.expectedVersion ?? 'any',
          actualVersion(written.nextExpectedRevision),
        );
      }
      revision = written.nextExpectedRevision;
    } catch (error) {
      if (commandId !== undefined && error instanceof WrongExpectedVersionError) {
        const { stored } = await this.commands.lookup(tenantId, commandId);
        if (stored) return single(stored);
      }
      throw translate(error, [{ streamId, expectedVersion: options.expectedVersion }]);
    }
    const last = await eventAt(
      this.client,
      name,
      revision,
      commandId !== undefined ? data.at(-1)?.id : undefined,
    );
    const result: AppendResult = {
      nextVersion: toVersion(last.revision),
      ...toCheckpoint(positionOf(last)),
      duplicate: decodeMetadata(last.metadata).appendId !== appendId,
    };
    if (commandId !== undefined) {
      await this.commands.record(tenantId, commandId, {
        streams: [{ streamId, nextVersion: result.nextVersion }],
        position: result.position,
        transactionId: result.transactionId,
      });
    }
    return result;
  }

  /**
   * Atomic through KurrentDB's multi-stream append (server 25.1+; older servers answer with the
   * client's UnsupportedError). With a command id, the command's marker stream is created in the
   * same atomic write, so a repeated command can never write twice.
   */
  async appendToStreams(
    tenantId: string,
    appends: readonly StreamAppend[],
    options: Options = {},
  ): Promise<MultiAppendResult> {
    validateTenant(tenantId);
    validateCommandId(options.commandId);
    if (!isNonEmptyList(appends)) {
      throw new EventStoreError('EMPTY_APPEND', 'No streams to append to');
    }
    const { commandId } = options;
    const appendId = randomUUID();
    const seen = new Set<string>();
    let index = 0;
    const requests: AppendStreamRequest[] = appends.map((append) => {
      const streamName = toStreamName(tenantId, append.streamId);
      if (seen.has(append.streamId)) {
        throw new EventStoreError(
          'INVALID_STREAM_ID',
          `Stream ${append.streamId} appears twice in one append`,
        );
      }
      seen.add(append.streamId);
      validateEvents(append.events, append.streamId);
      const expectedState = toStreamState(append.expectedVersion);
      const events = this.encode(
        tenantId,
        append.streamId,
        append.events,
        options,
        appendId,
        index,
      );
      index += events.length;
      return { streamName, expectedState, events };
    });
    if (commandId !== undefined) {
      const found = await this.commands.lookup(tenantId, commandId);
      if (found.stored) return { ...found.stored, duplicate: true };
      // claimed, no result yet: the events are committed, rebuild the result from $all
      if (found.claimedAt) return this.commands.recover(tenantId, commandId, requests);
      requests.unshift(this.commands.claim(tenantId, commandId, appendId));
    }
    let responses: { streamName: string; revision: bigint }[];
    try {
      ({ responses } = await this.client.multiStreamAppend(requests));
    } catch (error) {
      if (
        commandId !== undefined &&
        error instanceof WrongExpectedVersionError &&
        error.streamName === commandStreamName(tenantId, commandId)
      ) {
        const found = await this.commands.lookup(tenantId, commandId);
        if (found.stored) return { ...found.stored, duplicate: true };
        return this.commands.recover(tenantId, commandId, requests);
      }
      throw translate(error, appends);
    }
    const revisionOf = (streamName: string): bigint => {
      const response = responses.find((r) => r.streamName === streamName);
      if (!response) throw new Error(`KurrentDB did not report a revision for ${streamName}`);
      return response.revision;
    };
    // the claim goes first, so the last request is a data stream; its last event is the write's
    const lastName = requests.at(-1)!.streamName;
    const last = await eventAt(this.client, lastName, revisionOf(lastName));
    const result: MultiAppendResult = {
      streams: appends.map((a) => ({
        streamId: a.streamId,
        nextVersion: toVersion(revisionOf(toStreamName(tenantId, a.streamId))),
      })),
      ...toCheckpoint(positionOf(last)),
      duplicate: false,
    };
    if (commandId !== undefined) await this.commands.record(tenantId, commandId, result);
    return result;
  }

  /** One read per stream (KurrentDB reads streams one at a time), side by side. */
  readStreams(tenantId: string, streamIds: readonly string[]): Promise<ReadStreamResult[]> {
    return Promise.all(streamIds.map((id) => this.readStream(tenantId, id)));
  }

  readStream<E extends Event = Event>(
    tenantId: string,
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<ReadStreamResult<E>> {
    return readStream<E>(this.client, tenantId, streamId, options);
  }

  aggregateStream<S, E extends Event>(
    tenantId: string,
    streamId: string,
    decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState'>,
    options: ReadStreamOptions = {},
  ): Promise<AggregateStreamResult<S>> {
    return aggregateFromStream(this, tenantId, streamId, decider, options);
  }

  /** See kurrent-reads.ts: $all in commit order, filtered by stream-name prefix. */
  readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    return readAll(this.client, options);
  }

  checkpointAt(tenantId: string, position: number): Promise<LogCheckpoint | undefined> {
    return checkpointAt(this.client, tenantId, position);
  }

  private encode(
    tenantId: string,
    streamId: string,
    events: readonly Event[],
    options: Options,
    appendId: string,
    offset: number,
  ): EventData[] {
    const metadata = encodeMetadata(
      { ...options.metadata, ...(options.commandId ? { commandId: options.commandId } : {}) },
      appendId,
    );
    return events.map((event, i) => {
      assertSize(JSON.stringify(event.data), `Event ${event.type} on ${streamId}`);
      return jsonEvent({
        id:
          options.commandId !== undefined
            ? commandEventId(tenantId, options.commandId, offset + i)
            : randomUUID(),
        type: event.type,
        data: event.data as JSONType,
        metadata,
      });
    });
  }
}

function isNonEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

/** KurrentDB's WrongExpectedVersionError as the port's typed errors; anything else unchanged. */
export function translate(
  error: unknown,
  appends: readonly { streamId: string; expectedVersion?: ExpectedVersion }[],
): Error {
  if (!(error instanceof WrongExpectedVersionError)) {
    return error instanceof Error ? error : new Error(String(error));
  }
  const streamId = parseStreamName(error.streamName)?.streamId ?? appends[0]?.streamId ?? '';
  const expected = appends.find((a) => a.streamId === streamId)?.expectedVersion ?? 'any';
  return conflict(streamId, expected, actualVersion(error.actualState));
}
