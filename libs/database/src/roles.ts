import { Client } from 'pg';

export const APP_GROUP_ROLE = 'union_app_rw';

/**
 * Creates (or updates the password of) the login role the application connects as: a member of
 * union_app_rw, not an owner, without BYPASSRLS, so row-level security applies to it.
 * Needs the migrations (which create union_app_rw) to have run.
 */
export async function ensureAppRole(
  ownerUrl: string,
  role: string,
  password: string,
): Promise<void> {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(role)) throw new Error(`invalid role name ${role}`);
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    const quotedPassword = `'${password.replace(/'/g, "''")}'`;
    const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
    if (rowCount) {
      await client.query(
        `ALTER ROLE ${role} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${quotedPassword}`,
      );
    } else {
      await client.query(
        `CREATE ROLE ${role} WITH LOGIN NOSUPERUSER NOBYPASSRLS PASSWORD ${quotedPassword} IN ROLE ${APP_GROUP_ROLE}`,
      );
    }
    // to see how old the oldest open transaction is (the gap-free reader's horizon)
    await client.query(`GRANT pg_read_all_stats TO ${role}`);
  } finally {
    await client.end();
  }
}
