import type { Event, RecordedEvent } from '@app/core';
import {
  BACKWARDS,
  END,
  START,
  StreamNotFoundError as KurrentStreamNotFoundError,
  streamNameFilter,
  type KurrentDBClient,
  type RecordedEvent as KurrentRecordedEvent,
} from '@kurrent/kurrentdb-client';
import { EventStoreError } from '../errors';
import {
  LOG_START,
  type LogCheckpoint,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
} from '../event-store.port';
import { validateTenant } from '../validation';
import {
  DATA_PREFIX,
  atOrBefore,
  fromCheckpoint,
  parseStreamName,
  tenantPrefix,
  toRecorded,
  toRevision,
  toStreamName,
  toVersion,
} from './kurrent-naming';

const MAX_READ_ALL = 10_000;

/** readStream of the port: validated like the PostgreSQL adapter, revisions shifted by one. */
export async function readStream<E extends Event>(
  client: KurrentDBClient,
  tenantId: string,
  streamId: string,
  options: ReadStreamOptions,
): Promise<ReadStreamResult<E>> {
  validateTenant(tenantId);
  const name = toStreamName(tenantId, streamId);
  for (const [key, value] of [
    ['fromVersion', options.fromVersion],
    ['toVersion', options.toVersion],
  ] as const) {
    if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
      throw new EventStoreError('INVALID_EXPECTED_VERSION', `${key} must be an integer >= 0`);
    }
  }
  const from = Math.max(options.fromVersion ?? 1, 1);
  const to = options.toVersion;
  const until = options.until?.getTime();
  const events: RecordedEvent<E>[] = [];
  let lastSeen: number | undefined;
  if (to === undefined || to >= from) {
    try {
      const read = client.readStream(name, {
        fromRevision: toRevision(from),
        ...(to !== undefined ? { maxCount: to - from + 1 } : {}),
      });
      for await (const { event } of read) {
        if (!event) continue;
        lastSeen = toVersion(event.revision);
        // record time: the server's `created` stamp of each event
        if (until !== undefined && event.created.getTime() > until) continue;
        events.push(toRecorded<E>(event, tenantId, streamId));
      }
    } catch (error) {
      if (!(error instanceof KurrentStreamNotFoundError)) throw error;
      return { currentVersion: 0, streamExists: false, events: [] };
    }
  }
  // a read that ran to the end of the stream saw its head; otherwise ask for it
  const currentVersion =
    to === undefined && lastSeen !== undefined ? lastSeen : await headVersion(client, name);
  return { currentVersion, streamExists: currentVersion > 0, events };
}

/**
 * $all is already in commit order with no gaps to wait for (one writer assigns positions as it
 * commits). Filtered server-side by stream-name prefix: `t-` (data streams of all tenants; no
 * system or command-marker streams) or `t-<tenant>:`. A read from a position includes that
 * position, so the checkpoint's own event is skipped.
 */
export async function readAll(
  client: KurrentDBClient,
  options: ReadAllOptions,
): Promise<ReadAllResult> {
  const after = options.after ?? LOG_START;
  const limit = options.limit ?? 1000;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ_ALL) {
    throw new EventStoreError(
      'INVALID_EXPECTED_VERSION',
      `limit must be an integer in 1..${MAX_READ_ALL}`,
    );
  }
  const prefix = options.tenantId !== undefined ? tenantPrefix(options.tenantId) : DATA_PREFIX;
  const from = fromCheckpoint(after);
  const atStart = from.commit === 0n && from.prepare === 0n;
  const read = client.readAll({
    fromPosition: atStart ? START : from,
    maxCount: limit + 1,
    filter: streamNameFilter({ prefixes: [prefix] }),
  });
  const events: RecordedEvent[] = [];
  for await (const { event } of read) {
    if (!event?.position || (!atStart && atOrBefore(event.position, from))) continue;
    const owner = parseStreamName(event.streamId);
    if (!owner || (options.tenantId !== undefined && owner.tenantId !== options.tenantId)) {
      continue;
    }
    events.push(toRecorded(event, owner.tenantId, owner.streamId));
    if (events.length === limit) break;
  }
  const last = events.at(-1);
  return {
    events,
    checkpoint: last ? { transactionId: last.transactionId, position: last.globalPosition } : after,
  };
}

const CHECKPOINT_LOOKBACK = 1_000;

/**
 * Read-your-writes: the checkpoint (commit, prepare) of the tenant's event whose prepare
 * position is `position`, looked for among the tenant's last 1,000 events in `$all` (a mutation
 * asks right after writing); undefined when it is older or unknown.
 */
export async function checkpointAt(
  client: KurrentDBClient,
  tenantId: string,
  position: number,
): Promise<LogCheckpoint | undefined> {
  const read = client.readAll({
    fromPosition: END,
    direction: BACKWARDS,
    maxCount: CHECKPOINT_LOOKBACK,
    filter: streamNameFilter({ prefixes: [tenantPrefix(tenantId)] }),
  });
  for await (const { event } of read) {
    if (!event?.position) continue;
    if (event.position.prepare === BigInt(position)) {
      return { transactionId: event.position.commit.toString(), position };
    }
    if (event.position.prepare < BigInt(position)) return undefined; // passed it
  }
  return undefined;
}

/**
 * The event an append reported as its last (read back after the append). With `id` (a derived
 * command event id), a revision that does not hold that id is not trusted: the event is looked
 * for among the 1,000 events before it instead.
 */
export async function eventAt(
  client: KurrentDBClient,
  name: string,
  revision: bigint,
  id?: string,
): Promise<KurrentRecordedEvent> {
  let found: KurrentRecordedEvent | undefined;
  for await (const { event } of client.readStream(name, { fromRevision: revision, maxCount: 1 })) {
    found ??= event;
  }
  if (found && id !== undefined && found.id !== id) {
    const read = client.readStream(name, {
      fromRevision: revision,
      direction: BACKWARDS,
      maxCount: 1_000,
    });
    for await (const { event } of read) {
      if (event?.id === id) return event;
    }
  }
  if (found) return found;
  throw new Error(`KurrentDB: event ${revision} of ${name} is not readable after its append`);
}

/** The stream's current version (0 when it does not exist). */
export async function headVersion(client: KurrentDBClient, name: string): Promise<number> {
  try {
    const read = client.readStream(name, { fromRevision: END, direction: BACKWARDS, maxCount: 1 });
    for await (const { event } of read) {
      if (event) return toVersion(event.revision);
    }
    return 0;
  } catch (error) {
    if (error instanceof KurrentStreamNotFoundError) return 0;
    throw error;
  }
}
