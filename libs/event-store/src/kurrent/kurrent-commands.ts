import {
  ANY,
  streamNameFilter,
  NO_STREAM,
  StreamNotFoundError as KurrentStreamNotFoundError,
  jsonEvent,
  type AppendStreamRequest,
  type RecordedEvent as KurrentRecordedEvent,
  type KurrentDBClient,
  type Position,
} from '@kurrent/kurrentdb-client';
import type { MultiAppendResult } from '../event-store.port';
import { EventStoreError } from '../errors';
import {
  commandEventId,
  commandStreamName,
  parseStreamName,
  positionOf,
  tenantPrefix,
  toCheckpoint,
  toVersion,
} from './kurrent-naming';

/** What a repeated command id gets back (the first call's result). */
export interface StoredCommand {
  streams: { streamId: string; nextVersion: number }[];
  position: number;
  transactionId: string;
}

export interface CommandLookup {
  stored?: StoredCommand;
  claimedAt?: Position;
}

const RESULT = 'CommandResult';
const CLAIMED = 'CommandClaimed';

/**
 * Command ids, in two layers:
 *
 * 1. Event ids derived from (tenant, commandId, index) (see commandEventId). A retry sends the
 *    same ids, and KurrentDB's own idempotency check answers "already written" instead of
 *    writing again. With an exact expected version (or no_stream) that check reads the stream
 *    itself and is reliable for the stream's lifetime; with `any`/`stream_exists` it relies on
 *    the server's recent-event-id cache, i.e. only within its idempotency window.
 * 2. A command marker stream `c-<tenant>:<commandId>` holding the first result, written right
 *    after the append and read before every append with a command id. It makes a retry long
 *    after the window (or after the stream moved on) return the first result. A crash between
 *    the append and the marker write leaves only layer 1.
 *
 * appendToStreams is stronger: its marker stream is created (expected no_stream) inside the
 * same atomic multi-stream append as the events, so two racing calls with one command id can
 * never both write, at any distance in time.
 */
export class KurrentCommandLog {
  constructor(private readonly client: KurrentDBClient) {}

  /**
   * The stored result; or, when only the claim exists (the claiming call is between its atomic
   * write and its result write, or died there), where the claim sits in $all. A claim implies
   * the command's events are committed: they were written in the same atomic append.
   */
  async lookup(tenantId: string, commandId: string): Promise<CommandLookup> {
    let claimedAt: Position | undefined;
    try {
      const read = this.client.readStream(commandStreamName(tenantId, commandId), { maxCount: 10 });
      for await (const { event } of read) {
        if (event?.type === RESULT && isStored(event.data)) return { stored: event.data };
        if (event?.type === CLAIMED) claimedAt = event.position;
      }
    } catch (error) {
      if (error instanceof KurrentStreamNotFoundError) return {};
      throw error;
    }
    return claimedAt ? { claimedAt } : {};
  }

  /** Stores the result; identical concurrent writes are harmless (lookup takes the first). */
  async record(tenantId: string, commandId: string, result: StoredCommand): Promise<void> {
    await this.client.appendToStream(
      commandStreamName(tenantId, commandId),
      jsonEvent({
        id: commandEventId(tenantId, commandId, 'result'),
        type: RESULT,
        data: { ...result },
      }),
      { streamState: ANY },
    );
  }

  /**
   * The command's atomic write exists but its result is not stored (yet): find its events in
   * $all by their derived ids, right after the claim (an atomic write is contiguous in $all).
   */
  async recover(
    tenantId: string,
    commandId: string,
    requests: readonly AppendStreamRequest[],
  ): Promise<MultiAppendResult> {
    const found = await this.lookup(tenantId, commandId);
    if (found.stored) return { ...found.stored, duplicate: true };
    const wanted = new Set(
      requests.flatMap((r) => (parseStreamName(r.streamName) ? r.events.map((e) => e.id) : [])),
    );
    const versions = new Map<string, number>();
    let last: KurrentRecordedEvent | undefined;
    if (found.claimedAt) {
      const read = this.client.readAll({
        fromPosition: found.claimedAt,
        maxCount: wanted.size + 1_000,
        filter: streamNameFilter({ prefixes: [tenantPrefix(tenantId)] }),
      });
      for await (const { event } of read) {
        if (!event || !wanted.delete(event.id)) continue;
        const parsed = parseStreamName(event.streamId);
        if (parsed) versions.set(parsed.streamId, toVersion(event.revision));
        last = event;
        if (wanted.size === 0) break;
      }
    }
    if (!last || wanted.size > 0) {
      throw new EventStoreError(
        'CONCURRENCY_CONFLICT',
        `Command ${commandId} is being applied by another call; retry it`,
      );
    }
    const stored: StoredCommand = {
      streams: [...versions].map(([streamId, nextVersion]) => ({ streamId, nextVersion })),
      ...toCheckpoint(positionOf(last)),
    };
    await this.record(tenantId, commandId, stored);
    return { ...stored, duplicate: true };
  }

  /** The marker-stream part of an atomic multi-stream append: fails if the command ran. */
  claim(tenantId: string, commandId: string, appendId: string): AppendStreamRequest {
    return {
      streamName: commandStreamName(tenantId, commandId),
      expectedState: NO_STREAM,
      events: [
        jsonEvent({
          id: commandEventId(tenantId, commandId, 'claim'),
          type: CLAIMED,
          data: { appendId },
          metadata: { appendId },
        }),
      ],
    };
  }
}

function isStored(data: unknown): data is StoredCommand {
  const d = data as Partial<StoredCommand> | null;
  return (
    typeof d === 'object' &&
    d !== null &&
    Array.isArray(d.streams) &&
    typeof d.position === 'number' &&
    typeof d.transactionId === 'string'
  );
}
