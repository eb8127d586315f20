import { addMonthsToPeriod } from '@app/core';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { ProjectionRunner, RegistryProjection } from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '../test-database';
import {
  generateLargeTenant,
  type LargeTenant,
  type LargeTenantOptions,
} from './generate-large-tenant';
import { writeLargeTenant } from './writer';

const SCALE = 0.004; // 1,000 members, ~60 unions, ~24,000 dues payments
const LAST_PERIOD = '2026-06';
const tiny = (options: LargeTenantOptions = {}): LargeTenant =>
  generateLargeTenant({ scale: SCALE, lastPeriod: LAST_PERIOD, tenantId: 'gen-test', ...options });

async function allEvents(tenant: LargeTenant): Promise<string[]> {
  const out: string[] = [];
  for await (const batch of tenant.batches())
    for (const append of batch.appends)
      out.push(
        `${append.streamId}@${String(append.expectedVersion)} ${JSON.stringify(append.events)}`,
      );
  return out;
}

describe('large tenant generator', () => {
  it('is deterministic for a seed and differs across seeds', async () => {
    const [a, b, c] = await Promise.all([
      allEvents(tiny({ seed: 7 })),
      allEvents(tiny({ seed: 7 })),
      allEvents(tiny({ seed: 8 })),
    ]);
    expect(a.length).toBeGreaterThan(1000);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it('has the shape of the company: levels, sizes, women, arrears, committees', () => {
    const tenant = tiny({ seed: 42 });
    const { counts, plan } = tenant;
    expect(counts.unionsByLevel).toMatchObject({ COMPANY: 1 });
    expect(counts.unionsByLevel.SECONDARY_UNIT).toBeGreaterThanOrEqual(2);
    expect(counts.unionsByLevel.TEAM).toBe(Math.round(5000 * SCALE));
    expect(counts.unionsByLevel.GROUP).toBe(Math.round(10_000 * SCALE));
    expect(counts.members).toBe(250_000 * SCALE);
    const rolls = plan.unions.filter((u) => u.level === 'TEAM').map((u) => u.members.length);
    expect(rolls.some((n) => n < 25)).toBe(true);
    expect(rolls.some((n) => n > 100)).toBe(true);
    // female share ≈ 30 %: within 4 standard deviations of a binomial over the active members
    const share = counts.activeFemale / counts.active;
    expect(Math.abs(share - 0.3)).toBeLessThan(4 * Math.sqrt((0.3 * 0.7) / counts.active));
    // ~2 % in arrears (≥ 6 months): binomial bound again
    const arrears = counts.inArrears / counts.active;
    expect(arrears).toBeGreaterThan(0);
    expect(Math.abs(arrears - 0.02)).toBeLessThan(
      4 * Math.sqrt((0.02 * 0.98) / counts.active) + 0.005,
    );
    const governed = plan.unions.filter((u) =>
      u.governance.some((e) => e.type === 'CommitteeElected'),
    );
    expect(governed.length).toBeGreaterThan(plan.unions.length / 10);
  });

  it('never names a stream twice in one append and keeps every batch within its size', async () => {
    const tenant = tiny({ seed: 3, batchStreams: 300 });
    let events = 0;
    for await (const batch of tenant.batches()) {
      const ids = batch.appends.map((a) => a.streamId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(ids.length).toBeLessThanOrEqual(300);
      events += batch.events;
    }
    expect(events).toBe(tenant.counts.events);
  });

  describe('written through the event store and projected', () => {
    let db: TestDatabase;
    let tenant: LargeTenant;

    beforeAll(async () => {
      db = await createTestDatabase();
      tenant = tiny({ seed: 42, batchStreams: 500 });
      const store = new PostgresEventStore(db.appPool);
      const report = await writeLargeTenant(store, tenant, { progress: false });
      expect(report.events).toBe(tenant.counts.events);
      await new ProjectionRunner(store, db.appPool, [new RegistryProjection()], {
        batchSize: 5000,
      }).catchUp();
    }, 120_000);
    afterAll(() => db.close());

    const query = <R extends object>(sql: string, values: unknown[] = []) =>
      withTenant(db.appPool, tenant.tenantId, async (c) => (await c.query<R>(sql, values)).rows);

    it('rolls the company up to exactly the active members generated', async () => {
      const root = tenant.plan.unions[0]!;
      const [row] = await query<{ sub_active: number; sub_female: number; sub_retained: number }>(
        'SELECT sub_active, sub_female, sub_retained FROM rm_unions WHERE tenant_id = $1 AND union_id = $2',
        [tenant.tenantId, root.id],
      );
      expect(row).toEqual({
        sub_active: tenant.counts.active,
        sub_female: tenant.counts.activeFemale,
        sub_retained: tenant.counts.retained,
      });
    });

    it('has teams under 25 members and the arrears the plan says', async () => {
      const [small] = await query<{ n: number }>(
        "SELECT count(*)::int AS n FROM rm_unions WHERE tenant_id = $1 AND level = 'TEAM' AND own_active < 25",
        [tenant.tenantId],
      );
      expect(small!.n).toBeGreaterThan(0);
      const [arrears] = await query<{ n: number }>(
        `SELECT count(*)::int AS n FROM rm_members
          WHERE tenant_id = $1 AND status = 'ACTIVE' AND NOT dues_exempt
            AND (last_paid_period IS NULL OR last_paid_period <= $2)`,
        [tenant.tenantId, addMonthsToPeriod(LAST_PERIOD, -6)],
      );
      expect(arrears!.n).toBe(tenant.counts.inArrears);
      const [members] = await query<{ n: number }>(
        'SELECT count(*)::int AS n FROM rm_members WHERE tenant_id = $1',
        [tenant.tenantId],
      );
      expect(members!.n).toBe(tenant.counts.members);
    });
  });
});
