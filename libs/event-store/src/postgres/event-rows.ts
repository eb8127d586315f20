import type { EventMetadata, RecordedEvent } from '@app/core';

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
