import { TickBatcher } from '@app/core';
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

const byCodeUnit = (x: string, y: string): number => (x < y ? -1 : x > y ? 1 : 0);

/** Tenant, then stream, by code unit (the same order in every process); stable for one stream. */
const byTenantAndStream = (a: QueuedAppend, b: QueuedAppend): number =>
  byCodeUnit(a.tenantId, b.tenantId) || byCodeUnit(a.streamId, b.streamId);

/** What an append came to: its row, or the error it failed with (the others' fate is theirs). */
type Outcome = AppendRow | Error;

const asError = (error: unknown): Error =>
  error instanceof Error ? error : new Error(String(error));

/**
 * Group commit of single-stream appends. The appends asked for during one turn of the event loop
 * (TickBatcher) go to PostgreSQL together: one alone as es_append_one, several as
 * es_append_batch (migration 0024), one statement and one commit for all, each item in a
 * subtransaction of its own so that one item's conflict fails that item only, with the error
 * es_append_one would have raised. Items are sent sorted by tenant and stream (two batches lock
 * rows in one order: no deadlock); appends to one stream keep their order. An error of a
 * statement itself (the database gone) fails that statement's items, and nothing of it is
 * committed.
 */
export class AppendBatches {
  /** One group: a batch may hold several tenants' appends (each item sets its tenant). */
  private readonly turns = new TickBatcher<QueuedAppend, Outcome>((_group, items) =>
    this.send(items),
  );

  constructor(private readonly pool: Pool) {}

  async append(item: QueuedAppend): Promise<AppendRow> {
    const [outcome] = await this.turns.load('', [item]);
    if (outcome instanceof Error) throw outcome;
    return outcome!;
  }

  /**
   * Never rejects: an item's outcome is its row or its error, so a statement that fails (a part
   * beyond MAX_BATCH_ITEMS, the database gone) fails its own items only.
   */
  private async send(items: QueuedAppend[]): Promise<Outcome[]> {
    if (items.length === 1) return [await this.sendOne(items[0]!)];
    const parts: QueuedAppend[][] = [];
    for (let i = 0; i < items.length; i += MAX_BATCH_ITEMS)
      parts.push(items.slice(i, i + MAX_BATCH_ITEMS));
    return (await Promise.all(parts.map((part) => this.sendBatch(part)))).flat();
  }

  private async sendBatch(part: QueuedAppend[]): Promise<Outcome[]> {
    const order = part.map((_, i) => i).sort((i, j) => byTenantAndStream(part[i]!, part[j]!));
    const items = order.map((i) => {
      const item = part[i]!;
      return (
        `{"tenant":${JSON.stringify(item.tenantId)},"command":${JSON.stringify(item.commandId)},` +
        `"stream":${JSON.stringify(item.streamId)},"expected":${JSON.stringify(item.expected)},` +
        `"events":${item.events},"metadata":${item.metadata}}`
      );
    });
    const outcomes: Outcome[] = part.map(() => new Error('es_append_batch left an item out'));
    try {
      const { rows } = await this.pool.query<BatchRow>({
        name: 'es_append_batch',
        text: 'SELECT * FROM es_append_batch($1::jsonb)',
        values: [`[${items.join(',')}]`],
        rowMode: 'array',
      });
      for (const [ord, next, position, tx, duplicate, code, message, detail, constraint] of rows)
        outcomes[order[ord - 1]!] =
          code === null
            ? [next!, position!, tx!, duplicate!]
            : new AppendItemError(
                message ?? code,
                code,
                detail ?? undefined,
                constraint ?? undefined,
              );
      return outcomes;
    } catch (error) {
      return part.map(() => asError(error));
    }
  }

  private async sendOne(item: QueuedAppend): Promise<Outcome> {
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
      return rows[0]!;
    } catch (error) {
      return asError(error);
    }
  }
}
