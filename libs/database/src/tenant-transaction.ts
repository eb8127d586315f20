import { escapeLiteral, type Pool, type PoolClient } from 'pg';

export class MissingTenantError extends Error {
  readonly code = 'MISSING_TENANT';
  constructor() {
    super('A tenant id is required for every read and write of tenant data');
    this.name = 'MissingTenantError';
  }
}

export function assertTenant(tenantId: string | undefined | null): asserts tenantId is string {
  if (typeof tenantId !== 'string' || tenantId.trim() === '' || tenantId.length > 100) {
    throw new MissingTenantError();
  }
}

/**
 * The one way to touch tenant data: a transaction with `app.tenant_id` set locally, so that
 * row-level security filters every statement even if a query forgets its tenant condition.
 * (The event store's hot paths call SQL functions that do the same set_config in one round trip.)
 */
export async function withTenant<T>(
  pool: Pool,
  tenantId: string,
  work: (client: PoolClient) => Promise<T>,
  options: { readOnly?: boolean } = {},
): Promise<T> {
  assertTenant(tenantId);
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query(beginAs(tenantId, options.readOnly === true));
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/**
 * BEGIN and the tenant setting in one round trip: a simple-protocol query of two statements
 * (which cannot take parameters, hence the escaped literal; the id was validated by
 * assertTenant and escapeLiteral quotes anything in it).
 */
export function beginAs(tenantId: string, readOnly: boolean): string {
  return `${readOnly ? 'BEGIN READ ONLY' : 'BEGIN'}; SELECT set_config('app.tenant_id', ${escapeLiteral(tenantId)}, true)`;
}

/** A transaction without tenant scope, for system work (checkpoints, the sealer). */
export async function withTransaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  let broken = false;
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {
      broken = true;
    });
    throw error;
  } finally {
    client.release(broken);
  }
}
