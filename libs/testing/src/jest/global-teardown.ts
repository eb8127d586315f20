import { rmSync } from 'node:fs';
import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const state = globalThis.__UNION_TEST_CLUSTER__;
  if (!state) return;
  if (state.cluster) {
    await state.cluster.stop();
    if (state.dataDir) rmSync(state.dataDir, { recursive: true, force: true });
    return;
  }
  // a shared server (DATABASE_URL): remove what this run created
  const admin = new Client({ connectionString: state.maintenanceUrl });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ datname: string }>(
      "SELECT datname FROM pg_database WHERE datname LIKE 't\\_' || $1 || '\\_%'",
      [String(process.pid)],
    );
    for (const { datname } of rows)
      await admin.query(`DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
    await admin.query(`ALTER DATABASE ${state.template} WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS ${state.template} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
