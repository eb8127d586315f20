import type { Pool, PoolClient } from 'pg';
import { assertTenant, beginAs, withTenant } from './tenant-transaction';

/** Something that runs read-only work in a tenant's scope. */
export interface TenantReader {
  readonly tenantId: string;
  read<T>(work: (client: PoolClient) => Promise<T>): Promise<T>;
}

/** What the read-model queries accept: a pool (one transaction per call) or a request's reader. */
export type ReadSource = Pool | TenantReader;

export function isReader(source: ReadSource): source is TenantReader {
  return typeof (source as Partial<TenantReader>).read === 'function';
}

/** Read-only work in the tenant's scope through whichever source the caller holds. */
export function readAs<T>(
  source: ReadSource,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  if (!isReader(source)) return withTenant(source, tenantId, work, { readOnly: true });
  if (source.tenantId !== tenantId) {
    // a reader is bound to one tenant; asking it for another is a bug, never a silent switch
    throw new Error('a tenant reader was asked for another tenant');
  }
  return source.read(work);
}

/**
 * One READ ONLY transaction for all the reads of one GraphQL query request: the scope check, every
 * DataLoader batch and every resolver's query share one connection, with BEGIN and the tenant
 * setting sent in one round trip, instead of four round trips per read (connect, BEGIN,
 * set_config, COMMIT) several times a request. Opened on the first read, closed by `close()` when
 * the response is sent. READ COMMITTED, so each statement sees what is committed when it runs.
 *
 * A statement that fails aborts the transaction: the session is then discarded (rolled back,
 * released) and the next read opens a fresh one, so one failed field does not fail the others.
 */
export class TenantSession implements TenantReader {
  private current: Promise<Transaction> | undefined;
  private closed = false;

  constructor(
    private readonly pool: Pool,
    readonly tenantId: string,
  ) {
    assertTenant(tenantId);
  }

  async read<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    if (this.closed) return withTenant(this.pool, this.tenantId, work, { readOnly: true });
    const pending = (this.current ??= this.open());
    const tx = await pending;
    tx.inFlight += 1;
    try {
      return await work(tx.serial);
    } catch (error) {
      // the transaction is aborted: statements still queued on it fail too (never run without
      // the tenant setting); new reads get a fresh transaction
      tx.failed = true;
      if (this.current === pending) this.current = undefined;
      throw error;
    } finally {
      tx.inFlight -= 1;
      if (tx.inFlight === 0) {
        if (tx.failed) await finish(tx, 'ROLLBACK');
        else if (tx.closing) await finish(tx, 'COMMIT');
      }
    }
  }

  /** Ends the transaction and gives the connection back; later reads use their own transactions. */
  async close(): Promise<void> {
    this.closed = true;
    const pending = this.current;
    this.current = undefined;
    if (!pending) return;
    const tx = await pending.catch(() => undefined);
    if (!tx || tx.failed) return;
    // a read still running finishes the transaction when it is done
    if (tx.inFlight > 0) tx.closing = true;
    else await finish(tx, 'COMMIT');
  }

  private async open(): Promise<Transaction> {
    const client = await this.pool.connect();
    try {
      await client.query(beginAs(this.tenantId, true));
      const serial = serialized(client);
      return { client, serial, inFlight: 0, failed: false, closing: false, finished: false };
    } catch (error) {
      this.current = undefined;
      client.release(true);
      throw error;
    }
  }
}

interface Transaction {
  client: PoolClient;
  /** What the reads get: the client, its statements sent one after the other. */
  serial: PoolClient;
  inFlight: number;
  failed: boolean;
  closing: boolean;
  finished: boolean;
}

async function finish(tx: Transaction, statement: 'COMMIT' | 'ROLLBACK'): Promise<void> {
  if (tx.finished) return;
  tx.finished = true;
  let broken = false;
  await tx.client.query(statement).catch(() => {
    broken = true;
  });
  tx.client.release(broken);
}

interface AnyQuery {
  query(...args: unknown[]): Promise<unknown>;
}

/**
 * The client with a `query` that starts when the previous statement given to it has settled:
 * the reads of a request run side by side (DataLoader batches, resolvers) on one connection,
 * which runs one statement at a time. pg queues a statement sent while another runs, but that is
 * deprecated and goes in pg 9; the order and the round trips are the same either way.
 */
function serialized(client: PoolClient): PoolClient {
  let tail: Promise<unknown> = Promise.resolve();
  const view = Object.create(client) as PoolClient;
  view.query = ((...args: unknown[]) => {
    const run = tail.then(() => (client as unknown as AnyQuery).query(...args));
    tail = run.catch(() => undefined);
    return run;
  }) as PoolClient['query'];
  return view;
}
