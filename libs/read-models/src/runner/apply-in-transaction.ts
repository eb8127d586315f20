import { withTenant, withTransaction } from '@app/database';
import type { LogCheckpoint, ReadAllResult } from '@app/event-store';
import type { Pool, PoolClient } from 'pg';
import { byTenant, type BatchApplier, type Projection } from './projection';
import { CheckpointMovedError } from './runner-errors';

/**
 * One batch of one projection in one transaction, tenant by tenant (app.tenant_id set for RLS),
 * the checkpoint moved in the same transaction by compare-and-set from `from`. `rebuild`: the
 * applier of a rebuild (the projection's own, or the projection itself).
 */
export async function applyInTransaction(
  pool: Pool,
  projection: Projection,
  batch: ReadAllResult,
  from: LogCheckpoint,
  options: { rebuild?: BatchApplier } = {},
): Promise<void> {
  const applier = options.rebuild ?? projection;
  const tenants = byTenant(batch.events);
  // BEGIN and the first tenant's setting in one round trip (most batches hold one tenant)
  const first = tenants[0];
  const inTransaction = <T>(work: (client: PoolClient) => Promise<T>) =>
    first ? withTenant(pool, first.tenantId, work) : withTransaction(pool, work);
  await inTransaction(async (client) => {
    await moveCheckpoint(client, projection.name, from, batch);
    for (const [i, tenantBatch] of tenants.entries()) {
      if (i > 0)
        await client.query("SELECT set_config('app.tenant_id', $1, true)", [tenantBatch.tenantId]);
      try {
        await applier.apply(client, tenantBatch);
      } catch (error) {
        const head = tenantBatch.events[0]!;
        throw new Error(
          `${projection.name} failed on tenant ${tenantBatch.tenantId} in positions ${head.globalPosition}..` +
            `${tenantBatch.events.at(-1)!.globalPosition}: ${(error as Error).message}`,
          { cause: error },
        );
      }
    }
    if (options.rebuild) {
      // A rebuild's commit need not wait for its WAL flush: a server crash can lose only the
      // last few of these transactions, each whole (rows and checkpoint together, WAL order
      // kept), and the replay resumes from the checkpoint that survived. Nothing outside the
      // rebuild waits on these batches; live batches keep the durable commit.
      await client.query('SET LOCAL synchronous_commit = off');
    }
  });
}

/**
 * A batch the projection has nothing to write for: the checkpoint alone moves, by the same
 * compare-and-set, in one statement instead of a transaction of three round trips.
 */
export async function moveCheckpointOnly(
  pool: Pool,
  projection: Projection,
  batch: ReadAllResult,
  from: LogCheckpoint,
): Promise<void> {
  await moveCheckpoint(pool, projection.name, from, batch);
}

/**
 * Moves the checkpoint first, by compare-and-set from `from`, in one statement that also locks
 * its row: a second runner on the same batch waits here, then finds the checkpoint moved and
 * backs off before writing anything (rather than colliding on a key). The projection's writes
 * follow in the same transaction, so both commit or neither. The row exists after the first
 * batch; the insert is the first time only. (subscription_checkpoints is system data without
 * row-level security: the tenant setting in place does not matter to it.)
 */
async function moveCheckpoint(
  client: Pick<PoolClient, 'query'>,
  name: string,
  from: LogCheckpoint,
  batch: ReadAllResult,
): Promise<void> {
  const move = () =>
    client.query(
      `UPDATE subscription_checkpoints
          SET transaction_id = $2::xid8, global_position = $3, events_done = events_done + $4,
              updated_at = now(), failed_position = NULL, failed_reason = NULL
        WHERE name = $1 AND transaction_id = $5::xid8 AND global_position = $6`,
      [
        name,
        batch.checkpoint.transactionId,
        batch.checkpoint.position,
        batch.events.length,
        from.transactionId,
        from.position,
      ],
    );
  let { rowCount } = await move();
  if (rowCount !== 1 && from.transactionId === '0' && from.position === 0) {
    await client.query(
      'INSERT INTO subscription_checkpoints (name) VALUES ($1) ON CONFLICT (name) DO NOTHING',
      [name],
    );
    ({ rowCount } = await move());
  }
  if (rowCount !== 1) throw new CheckpointMovedError(`${name}: checkpoint moved by another runner`);
}
