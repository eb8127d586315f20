import type { Pool } from 'pg';

/** The parameters of one es_append_one call. */
export interface QueuedAppend {
  readonly tenantId: string;
  readonly commandId: string | null;
  readonly streamId: string;
  /** encodeExpectedVersion's number, or null for any version */
  readonly expected: number | null;
  /** JSON array of `{"id", "t", "d"}` */
  readonly events: string;
  /** JSON object */
  readonly metadata: string;
}

/** es_append_one's row: next version, position of the last event, transaction id, duplicate. */
export type AppendRow = [number, string, string, boolean];

type BatchRow = [
  number,
  number | null,
  string | null,
  string | null,
  boolean | null,
  string | null,
  string | null,
  string | null,
  string | null,
];

interface Waiting {
  readonly item: QueuedAppend;
  readonly resolve: (row: AppendRow) => void;
  readonly reject: (error: unknown) => void;
}

/** An item of a batch refused by PostgreSQL: what a lone es_append_one would have raised. */
export class AppendItemError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly detail: string | undefined,
    readonly constraint: string | undefined,
  ) {
    super(message);
    this.name = 'AppendItemError';
  }
}

/** Items per statement: PostgreSQL slows down past 64 subtransactions in one transaction. */
export const MAX_BATCH_ITEMS = 32;

/** Tenant, then stream, by code unit (the same order in every process); stable for one stream. */
const compare = (a: QueuedAppend, b: QueuedAppend): number =>
  a.tenantId < b.tenantId
    ? -1
    : a.tenantId > b.tenantId
      ? 1
      : a.streamId < b.streamId
        ? -1
        : a.streamId > b.streamId
          ? 1
          : 0;

const text = (value: string | null) => (value === null ? 'null' : JSON.stringify(value));

/**
 * Group commit of single-stream appends. The appends asked for during one turn of the event loop
 * go to PostgreSQL together: one alone as es_append_one, several as es_append_batch (migration
 * 0024), one statement and one commit for all, each item in a subtransaction of its own so that
 * one item's conflict fails that item only, with the error es_append_one would have raised.
 * Items are sent sorted by tenant and stream (two batches lock rows in one order: no deadlock);
 * appends to one stream keep their order. An error of the statement itself (the database gone)
 * fails every item of it, and nothing of it is committed.
 */
export class AppendBatches {
  private queue: Waiting[] = [];

  constructor(private readonly pool: Pool) {}

  append(item: QueuedAppend): Promise<AppendRow> {
    return new Promise<AppendRow>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (this.queue.length === 1) setImmediate(() => this.flush());
    });
  }

  private flush(): void {
    const queued = this.queue;
    this.queue = [];
    for (let i = 0; i < queued.length; i += MAX_BATCH_ITEMS)
      void this.send(queued.slice(i, i + MAX_BATCH_ITEMS));
  }

  private async send(batch: Waiting[]): Promise<void> {
    if (batch.length === 1) return this.sendOne(batch[0]!);
    const sorted = [...batch].sort((a, b) => compare(a.item, b.item));
    const items = sorted.map(
      ({ item }) =>
        `{"tenant":${text(item.tenantId)},"command":${text(item.commandId)},` +
        `"stream":${text(item.streamId)},"expected":${item.expected ?? 'null'},` +
        `"events":${item.events},"metadata":${item.metadata}}`,
    );
    try {
      const { rows } = await this.pool.query<BatchRow>({
        name: 'es_append_batch',
        text: 'SELECT * FROM es_append_batch($1::jsonb)',
        values: [`[${items.join(',')}]`],
        rowMode: 'array',
      });
      const answered = new Set<number>();
      for (const [ord, next, position, tx, duplicate, code, message, detail, constraint] of rows) {
        const waiting = sorted[ord - 1]!;
        answered.add(ord);
        if (code === null) waiting.resolve([next!, position!, tx!, duplicate!]);
        else
          waiting.reject(
            new AppendItemError(
              message ?? code,
              code,
              detail ?? undefined,
              constraint ?? undefined,
            ),
          );
      }
      sorted.forEach((waiting, i) => {
        if (!answered.has(i + 1)) waiting.reject(new Error('es_append_batch left an item out'));
      });
    } catch (error) {
      for (const waiting of sorted) waiting.reject(error);
    }
  }

  private async sendOne({ item, resolve, reject }: Waiting): Promise<void> {
    try {
      const { rows } = await this.pool.query<AppendRow>({
        // a named statement is parsed and planned once per connection
        name: 'es_append_one',
        text: 'SELECT * FROM es_append_one($1, $2, $3, $4, $5, $6)',
        values: [
          item.tenantId,
          item.commandId,
          item.streamId,
          item.expected,
          item.events,
          item.metadata,
        ],
        rowMode: 'array',
      });
      resolve(rows[0]!);
    } catch (error) {
      reject(error);
    }
  }
}
