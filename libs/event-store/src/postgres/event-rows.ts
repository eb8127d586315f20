import type { Event, EventMetadata, RecordedEvent } from '@app/core';
import type { ReadStreamResult } from '../event-store.port';

/** An `events` row as the read functions return it. */
export interface ReadAllRow {
  global_position: string;
  tenant_id: string;
  stream_id: string;
  stream_version: number;
  event_id: string;
  type: string;
  data: object;
  metadata: EventMetadata;
  recorded_at: Date;
  transaction_id: string;
}

/** A row of the log as the port's RecordedEvent. */
export function toRecorded(row: ReadAllRow): RecordedEvent {
  return {
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    eventId: row.event_id,
    tenantId: row.tenant_id,
    streamId: row.stream_id,
    streamVersion: row.stream_version,
    globalPosition: Number(row.global_position),
    transactionId: row.transaction_id,
    recordedAt: row.recorded_at,
  };
}

/** es_read_stream's columns, read in array mode (no per-row objects, no timestamp parsing). */
export type StreamRow = [
  currentVersion: number,
  globalPosition: string | null,
  streamVersion: number | null,
  eventId: string | null,
  type: string | null,
  data: object | null,
  metadata: EventMetadata | null,
  recordedMs: number | null,
  transactionId: string | null,
];

/** es_read_stream's rows of one stream as the port's ReadStreamResult. */
export function streamResult<E extends Event = Event>(
  tenantId: string,
  streamId: string,
  rows: readonly StreamRow[],
): ReadStreamResult<E> {
  const currentVersion = rows[0]?.[0] ?? 0;
  const events: RecordedEvent<E>[] = [];
  for (const r of rows) {
    if (r[1] === null) continue; // the stream exists, nothing in the range
    events.push({
      type: r[4] as E['type'],
      data: r[5] as E['data'],
      metadata: r[6]!,
      eventId: r[3]!,
      tenantId,
      streamId,
      streamVersion: r[2]!,
      globalPosition: Number(r[1]),
      transactionId: r[8]!,
      recordedAt: new Date(r[7]!),
    });
  }
  return { currentVersion, streamExists: currentVersion > 0, events };
}
