import { AppendBatches } from './append-batches';
import { streamResult, toRecorded, type ReadAllRow, type StreamRow } from './event-rows';
import { randomUUID } from 'node:crypto';
import { TickBatcher, type Decider, type Event } from '@app/core';
import { withTenant } from '@app/database';
import type { Pool } from 'pg';
import { aggregateFromStream } from '../aggregate-stream';
import { ConcurrencyError, EventStoreError, StreamNotFoundError } from '../errors';
import {
  LOG_START,
  type AggregateStreamResult,
  type AppendOptions,
  type AppendResult,
  type EventStore,
  type ExpectedVersion,
  type LogCheckpoint,
  type MultiAppendResult,
  type ReadAllOptions,
  type ReadAllResult,
  type ReadStreamOptions,
  type ReadStreamResult,
  type StreamAppend,
} from '../event-store.port';
import {
  assertSize,
  encodeExpectedVersion,
  validateCommandId,
  validateEvents,
  validateStreamId,
  validateTenant,
} from '../validation';

interface StoredResult {
  position: number | string;
  transactionId: string;
  streams: { streamId: string; nextVersion: number }[];
  duplicate: boolean;
}

interface PgError {
  code?: string;
  detail?: string;
  constraint?: string;
}

const MAX_READ_ALL = 10_000;
/** Local commits remembered for read-your-writes (`checkpointAt` without a query). */
const RECENT_COMMITS = 4096;

/**
 * The PostgreSQL adapter: one `events` table, one round trip per append (es_append_one,
 * es_append_streams; the single-stream appends of one event-loop turn share one: AppendBatches),
 * tenant scope set inside the functions (RLS), idempotent command ids, gap-free readAll.
 */
export class PostgresEventStore implements EventStore {
  private readonly commitListeners = new Set<(position: number, events: number) => void>();
  /** `tenant/position` of the last event of recent local appends → their transaction id. */
  private readonly recentCommits = new Map<string, string>();

  /** Whole-stream reads of one event-loop turn, per tenant, in one statement. */
  private readonly streamReads = new TickBatcher<string, StreamRow[]>((tenantId, ids) =>
    this.fetchStreams(tenantId, ids),
  );

  /** Single-stream appends of one event-loop turn, in one statement and one commit. */
  private readonly appends: AppendBatches;

  constructor(private readonly pool: Pool) {
    this.appends = new AppendBatches(pool);
  }

  /**
   * Called after an append has committed (never inside its transaction), so in-process followers
   * can wake at once instead of waiting for their next poll (and metrics can count the events
   * appended). Not called for a repeated command id. Returns an unsubscribe function.
   */
  onCommit(listener: (position: number, events: number) => void): () => void {
    this.commitListeners.add(listener);
    return () => this.commitListeners.delete(listener);
  }

  async appendToStream(
    tenantId: string,
    streamId: string,
    events: readonly Event[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    validateTenant(tenantId);
    validateCommandId(options.commandId);
    validateStreamId(streamId);
    validateEvents(events, streamId);
    const expected = encodeExpectedVersion(options.expectedVersion);
    const encoded = events.map((event) => {
      const data = JSON.stringify(event.data);
      assertSize(data, `Event ${event.type} on ${streamId}`);
      return `{"id":"${randomUUID()}","t":${JSON.stringify(event.type)},"d":${data}}`;
    });
    const append = { streamId, events, expectedVersion: options.expectedVersion };
    try {
      const [nextVersion, position, transactionId, duplicate] = await this.appends.append({
        tenantId,
        commandId: options.commandId ?? null,
        streamId,
        expected,
        events: `[${encoded.join(',')}]`,
        metadata: eventMetadata(options),
      });
      const result = { nextVersion, position: Number(position), transactionId, duplicate };
      if (!duplicate) this.committed(tenantId, result, events.length);
      return result;
    } catch (error) {
      const recovered = await this.recover(error as PgError, tenantId, [append], options.commandId);
      return {
        nextVersion: recovered.streams[0]?.nextVersion ?? 0,
        position: recovered.position,
        transactionId: recovered.transactionId,
        duplicate: recovered.duplicate,
      };
    }
  }

  async appendToStreams(
    tenantId: string,
    appends: readonly StreamAppend[],
    options: Omit<AppendOptions, 'expectedVersion'> = {},
  ): Promise<MultiAppendResult> {
    validateTenant(tenantId);
    validateCommandId(options.commandId);
    if (!isNonEmptyList(appends)) {
      throw new EventStoreError('EMPTY_APPEND', 'No streams to append to');
    }
    const seen = new Set<string>();
    // streams expected to be new are not looked up: the primary key refuses an existing one
    const checks: { s: string; e: number | null }[] = [];
    const encoded: string[] = [];
    appends.forEach((append) => {
      validateStreamId(append.streamId);
      if (seen.has(append.streamId)) {
        throw new EventStoreError(
          'INVALID_STREAM_ID',
          `Stream ${append.streamId} appears twice in one append`,
        );
      }
      seen.add(append.streamId);
      validateEvents(append.events, append.streamId);
      const expected = encodeExpectedVersion(append.expectedVersion);
      if (expected !== 0) checks.push({ s: append.streamId, e: expected });
      const stream = JSON.stringify(append.streamId);
      append.events.forEach((event, i) => {
        const data = JSON.stringify(event.data);
        assertSize(data, `Event ${event.type} on ${append.streamId}`);
        encoded.push(
          `{"s":${stream},"v":${i + 1},"id":"${randomUUID()}","t":${JSON.stringify(event.type)},"d":${data}}`,
        );
      });
    });
    try {
      const { rows } = await this.pool.query<[StoredResult & { bases?: Record<string, number> }]>({
        name: 'es_append_streams',
        text: 'SELECT es_append_streams($1, $2, $3, $4, $5)',
        values: [
          tenantId,
          options.commandId ?? null,
          JSON.stringify(checks),
          `[${encoded.join(',')}]`,
          eventMetadata(options),
        ],
        rowMode: 'array',
      });
      const stored = rows[0]![0];
      const result: MultiAppendResult = stored.duplicate
        ? toMultiResult(stored)
        : {
            streams: appends.map(({ streamId, events }) => ({
              streamId,
              nextVersion: (stored.bases?.[streamId] ?? 0) + events.length,
            })),
            position: Number(stored.position),
            transactionId: stored.transactionId,
            duplicate: false,
          };
      if (!result.duplicate) this.committed(tenantId, result, encoded.length);
      return result;
    } catch (error) {
      return this.recover(error as PgError, tenantId, appends, options.commandId);
    }
  }

  private committed(
    tenantId: string,
    result: { position: number; transactionId: string },
    events: number,
  ): void {
    this.recentCommits.set(`${tenantId}/${result.position}`, result.transactionId);
    if (this.recentCommits.size > RECENT_COMMITS) {
      const oldest = this.recentCommits.keys().next();
      if (!oldest.done) this.recentCommits.delete(oldest.value);
    }
    this.commitListeners.forEach((listener) => listener(result.position, events));
  }

  /**
   * The log checkpoint of the tenant's event at `position` (read-your-writes): from memory for a
   * recent append of this process (a mutation waiting for its own write), else one query;
   * undefined for no such event of this tenant.
   */
  async checkpointAt(tenantId: string, position: number): Promise<LogCheckpoint | undefined> {
    validateTenant(tenantId);
    const recent = this.recentCommits.get(`${tenantId}/${position}`);
    if (recent !== undefined) return { transactionId: recent, position };
    const row = await withTenant(
      this.pool,
      tenantId,
      async (client) =>
        (
          await client.query<{ tx: string }>(
            'SELECT transaction_id::text AS tx FROM events WHERE tenant_id = $1 AND global_position = $2',
            [tenantId, position],
          )
        ).rows[0],
      { readOnly: true },
    );
    return row ? { transactionId: row.tx, position } : undefined;
  }

  /** Turns database errors into typed ones; a racing duplicate command returns the first result. */
  private async recover(
    error: PgError,
    tenantId: string,
    appends: readonly StreamAppend[],
    commandId: string | undefined,
  ): Promise<MultiAppendResult> {
    // 40P01: a batch item chosen as a deadlock victim (two batches with the same command ids
    // in crossed order), rolled back alone: as good as a conflict, the caller may try again
    const conflict = ['UE001', 'UE002', '23505', '40P01'].includes(error.code ?? '');
    if (!conflict) {
      if (error.code === 'UE003')
        throw new EventStoreError('MISSING_TENANT', 'A tenant id is required');
      throw error as Error;
    }
    if (commandId !== undefined) {
      const stored = await this.storedResult(tenantId, commandId);
      if (stored) return stored;
    }
    if (error.code === 'UE001' && error.detail) {
      const detail = JSON.parse(error.detail) as { stream: string; actual: number };
      const append = appends.find((a) => a.streamId === detail.stream);
      const expected: ExpectedVersion = append?.expectedVersion ?? 'any';
      if (expected === 'stream_exists' && detail.actual === 0)
        throw new StreamNotFoundError(detail.stream);
      throw new ConcurrencyError(detail.stream, expected, detail.actual);
    }
    // a concurrent writer took the same versions between our check and our insert
    const first = appends[0]!;
    const { currentVersion } = await this.readStream(tenantId, first.streamId, {
      fromVersion: 2 ** 31 - 1,
    });
    throw new ConcurrencyError(first.streamId, first.expectedVersion ?? 'any', currentVersion);
  }

  private async storedResult(
    tenantId: string,
    commandId: string,
  ): Promise<MultiAppendResult | undefined> {
    const rows = await withTenant(this.pool, tenantId, async (client) => {
      const res = await client.query<{ result: StoredResult }>(
        'SELECT result FROM es_commands WHERE tenant_id = $1 AND command_id = $2',
        [tenantId, commandId],
      );
      return res.rows;
    });
    return rows[0] ? { ...toMultiResult(rows[0].result), duplicate: true } : undefined;
  }

  async readStream<E extends Event = Event>(
    tenantId: string,
    streamId: string,
    options: ReadStreamOptions = {},
  ): Promise<ReadStreamResult<E>> {
    validateTenant(tenantId);
    validateStreamId(streamId);
    for (const [name, value] of [
      ['fromVersion', options.fromVersion],
      ['toVersion', options.toVersion],
    ] as const) {
      if (value !== undefined && (!Number.isSafeInteger(value) || value < 0)) {
        throw new EventStoreError('INVALID_EXPECTED_VERSION', `${name} must be an integer >= 0`);
      }
    }
    if (
      options.fromVersion === undefined &&
      options.toVersion === undefined &&
      options.until === undefined
    ) {
      const [whole] = await this.streamReads.load(tenantId, [streamId]);
      return streamResult<E>(tenantId, streamId, whole!);
    }
    const { rows } = await this.pool.query<StreamRow>({
      name: 'es_read_stream',
      text: 'SELECT * FROM es_read_stream($1, $2, $3, $4, $5)',
      values: [
        tenantId,
        streamId,
        options.fromVersion !== undefined ? Math.min(options.fromVersion, 2 ** 31 - 1) : null,
        options.toVersion !== undefined ? Math.min(options.toVersion, 2 ** 31 - 1) : null,
        options.until ?? null,
      ],
      rowMode: 'array',
    });
    return streamResult<E>(tenantId, streamId, rows);
  }

  /**
   * Whole streams; the whole-stream reads of one event-loop turn of a tenant (this call's, other
   * requests', plain readStream calls) go to the database as one statement.
   */
  async readStreams(tenantId: string, streamIds: readonly string[]): Promise<ReadStreamResult[]> {
    validateTenant(tenantId);
    streamIds.forEach(validateStreamId);
    const rows = await this.streamReads.load(tenantId, streamIds);
    return streamIds.map((id, k) => streamResult(tenantId, id, rows[k]!));
  }

  /** es_read_stream for each id in one statement, tagged with its place. */
  private async fetchStreams(tenantId: string, streamIds: string[]): Promise<StreamRow[][]> {
    const { rows } = await this.pool.query<[number, ...StreamRow]>({
      name: 'es_read_streams',
      text: `SELECT s.i::int, r.* FROM unnest($2::text[]) WITH ORDINALITY AS s(id, i)
               CROSS JOIN LATERAL es_read_stream($1, s.id, NULL, NULL, NULL) AS r
              ORDER BY s.i, r.stream_version`,
      values: [tenantId, streamIds],
      rowMode: 'array',
    });
    const byStream = streamIds.map((): StreamRow[] => []);
    for (const [i, ...row] of rows) byStream[i - 1]!.push(row);
    return byStream;
  }

  aggregateStream<S, E extends Event>(
    tenantId: string,
    streamId: string,
    decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState'>,
    options: ReadStreamOptions = {},
  ): Promise<AggregateStreamResult<S>> {
    return aggregateFromStream(this, tenantId, streamId, decider, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllResult> {
    const after = options.after ?? LOG_START;
    const limit = options.limit ?? 1000;
    if (!Number.isInteger(limit) || limit < 1 || limit > MAX_READ_ALL) {
      throw new EventStoreError(
        'INVALID_EXPECTED_VERSION',
        `limit must be an integer in 1..${MAX_READ_ALL}`,
      );
    }
    if (options.tenantId !== undefined) validateTenant(options.tenantId);
    if (
      !/^\d{1,20}$/.test(after.transactionId) ||
      !Number.isSafeInteger(after.position) ||
      after.position < 0
    ) {
      throw new EventStoreError('INVALID_EXPECTED_VERSION', 'readAll: invalid checkpoint');
    }
    const { rows } = await this.pool.query<ReadAllRow>(
      'SELECT * FROM es_read_all($1::xid8, $2, $3, $4)',
      [after.transactionId, after.position, limit, options.tenantId ?? null],
    );
    const events = rows.map(toRecorded);
    const last = events.at(-1);
    return {
      events,
      checkpoint: last
        ? { transactionId: last.transactionId, position: last.globalPosition }
        : after,
    };
  }
}

function eventMetadata(options: Omit<AppendOptions, 'expectedVersion'>): string {
  return JSON.stringify({
    ...options.metadata,
    ...(options.commandId ? { commandId: options.commandId } : {}),
  });
}

function isNonEmptyList(value: unknown): boolean {
  return Array.isArray(value) && value.length > 0;
}

function toMultiResult(r: StoredResult): MultiAppendResult {
  return {
    streams: r.streams,
    position: Number(r.position),
    transactionId: r.transactionId,
    duplicate: r.duplicate,
  };
}
