import { parseArgs } from 'node:util';
import { bootstrapDatabase, createPool, loadConfig } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { generateLargeTenant, writeLargeTenant } from '@app/testing';
import { tenantSettingsStreamId } from '@app/unions';

/**
 * npm run seed:large -- [--scale 1] [--seed 42] [--tenant large-demo] [--until YYYY-MM] [--months 24]
 *   [--concurrency 3]
 *
 * Writes a large, deterministic tenant (issue 6: 250,000 members at scale 1) through the event
 * store into the embedded database (attaching to a running `npm start`) or DATABASE_URL. The
 * read models follow through the running projector, or `npm run projections -- rebuild all`.
 */
function previousMonth(now: Date): string {
  const total = now.getUTCFullYear() * 12 + now.getUTCMonth() - 1;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1' },
      seed: { type: 'string', default: '42' },
      tenant: { type: 'string', default: 'large-demo' },
      until: { type: 'string' },
      months: { type: 'string', default: '24' },
      concurrency: { type: 'string', default: '3' },
    },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const months = Number(values.months);
  if (!Number.isFinite(scale) || !Number.isInteger(seed) || !Number.isInteger(months))
    throw new Error('--scale must be a number, --seed and --months integers');
  const lastPeriod = values.until ?? previousMonth(new Date());

  const started = Date.now();
  const tenant = generateLargeTenant({ tenantId: values.tenant, seed, scale, months, lastPeriod });
  const c = tenant.counts;
  console.log(
    `tenant ${tenant.tenantId} (seed ${seed}, scale ${scale}, dues ${tenant.plan.firstPeriod}..${lastPeriod}): ` +
      `${Object.entries(c.unionsByLevel)
        .map(([level, n]) => `${n} ${level}`)
        .join(', ')}; ${c.members} members (${c.active} active, ${c.activeFemale} women, ` +
      `${c.inArrears} in arrears); ${c.events} events (planned in ${Date.now() - started} ms)`,
  );

  const config = loadConfig();
  const database = await bootstrapDatabase(config, (line) => {
    if (line.startsWith('attaching')) console.log(line);
  });
  const pool = createPool(database.appUrl, {
    ...config.pool,
    max: 4,
    statementTimeoutMs: 600_000,
    applicationName: 'seed-large',
  });
  try {
    const store = new PostgresEventStore(pool);
    const existing = await store.readStream(
      tenant.tenantId,
      tenantSettingsStreamId(tenant.tenantId),
      {
        fromVersion: 2 ** 31 - 1,
      },
    );
    if (existing.streamExists)
      throw new Error(`tenant ${tenant.tenantId} already has data: pick another --tenant`);
    const report = await writeLargeTenant(store, tenant, {
      concurrency: Number(values.concurrency),
    });
    console.log(
      `wrote ${report.events} events in ${report.batches} appends, ${report.seconds.toFixed(1)} s ` +
        `(${Math.round(report.eventsPerSecond)} events/s); last position ${report.lastPosition}`,
    );
  } finally {
    await pool.end();
    await database.close();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error && error.message ? error.message : error);
    process.exit(1);
  },
);
