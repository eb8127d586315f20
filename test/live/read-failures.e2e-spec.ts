import { dateInZone } from '@app/core';
import { duesPaid } from '@app/testing';
import { LIVE_CHANNEL } from '@app/read-models';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { settled, untilWatching, type Received } from './live-client';
import { liveServer, unionTree } from './live-fixture';

const PERIOD = dateInZone(new Date()).slice(0, 7);
const UNION_CHANGED = `subscription($id: ID!) { unionChanged(unionId: $id) {
  id stats { subtreeMembers arrearsMembers } duesPeriod(period: "${PERIOD}") { paidFen payingMembers } } }`;
const ALERTS = `subscription { complianceAlertsChanged(unionId: "s1", includeSubtree: true) { unionId rule } }`;

describe('live subscriptions survive failed reads (real PostgreSQL errors)', () => {
  const server = liveServer();
  const { connect } = server;
  const hub = () => server.app.get(LiveHub);
  const pay = (m: string, unionId: string, amountFen: number) =>
    duesPaid(m, unionId, PERIOD, { amountFen, source: 'PAYMENT' });
  const owner = (sql: string) => server.db.ownerPool.query(sql);
  /** A change of these unions heard through LISTEN, as another API process would send it. */
  const notify = (tenant: string, unionIds: string[]) =>
    owner(`SELECT pg_notify('${LIVE_CHANNEL}', '${JSON.stringify({ t: tenant, u: unionIds })}')`);
  /** Until `n` more reads failed and were retried (every subscriber failed at least twice). */
  async function untilRetried(n: number): Promise<void> {
    const target = hub().failures.counts.retried + n;
    while (hub().failures.counts.retried < target) await new Promise((r) => setTimeout(r, 20));
  }
  async function query(tenant: string, text: string): Promise<Record<string, unknown>> {
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${await server.token(tenant)}`,
      },
      body: JSON.stringify({ query: text }),
    });
    return ((await response.json()) as { data: Record<string, unknown> }).data;
  }
  const metricsText = async () =>
    (await fetch(server.httpUrl.replace(/\/graphql$/, '/metrics'))).text();

  /** co → s1 → t1 and co → s2, m0 and m1 in t1, m2 in s2; s1 watched by three dashboards. */
  async function watched() {
    const t = await unionTree(server.store, { m0: 't1', m1: 't1', m2: 's2' });
    await settled(server.app);
    const viewers = [await connect(t), await connect(t, { unit: 's1' }), await connect(t)];
    const s1 = viewers.map((v) => v.subscribe(UNION_CHANGED, { id: 's1' }));
    const co = viewers[0]!.subscribe(UNION_CHANGED, { id: 'co' });
    const alerts = viewers[1]!.subscribe(ALERTS);
    await untilWatching(server.app, 5);
    await server.store.appendToStream(t, 'member-m0', [pay('m0', 't1', 1_000)]);
    for (const sub of [...s1, co]) await sub.atLeast(1);
    return { t, s1, co, alerts };
  }
  const s1Shows = (paidFen: number, payingMembers: number) => ({
    id: 's1',
    stats: { subtreeMembers: 2, arrearsMembers: 2 },
    duesPeriod: { paidFen, payingMembers },
  });
  const last = (sub: Received) => sub.results.at(-1)?.data?.unionChanged;

  afterEach(async () => {
    // whatever a failed test left revoked is granted back (the grants of the migrations)
    await owner('GRANT SELECT ON rm_unions, rm_dues_union_period TO union_app_rw');
  });

  it('keeps every subscription open while the shared union read fails, then sends the right figures', async () => {
    const { t, s1, co, alerts } = await watched();
    await settled(server.app); // the payment's alert change (if any) is sent before the outage
    const alertsBefore = alerts.results.length;
    await owner('REVOKE SELECT ON rm_unions FROM union_app_rw');
    // the application role's reads really fail now
    await expect(server.db.appPool.query('SELECT 1 FROM rm_unions LIMIT 1')).rejects.toMatchObject({
      code: '42501',
    });
    await notify(t, ['s1', 'co']);
    await untilRetried(2 * 5); // five subscriptions, each read failed and retried twice
    expect(hub().failures.failing()).toBe(true);
    for (const sub of [...s1, co, alerts]) expect(sub.completed).toBe(false);
    // nothing was sent while the reads failed: no error message, no stale or empty union
    for (const sub of [...s1, co]) expect(sub.results).toHaveLength(1);
    expect(alerts.results).toHaveLength(alertsBefore);
    expect(await metricsText()).toMatch(
      /live_read_retries_total\{subscription="unionChanged"\} [1-9]/,
    );

    await owner('GRANT SELECT ON rm_unions TO union_app_rw');
    for (const sub of s1)
      expect((await sub.atLeast(2))[1]?.data?.unionChanged).toEqual(s1Shows(1_000, 1));
    expect((await co.atLeast(2))[1]?.data?.unionChanged).toMatchObject({
      id: 'co',
      duesPeriod: { paidFen: 1_000, payingMembers: 1 },
    });
    // and they go on as before: the next payment is sent with the new figures
    await server.store.appendToStream(t, 'member-m1', [pay('m1', 't1', 500)]);
    for (const sub of s1)
      expect((await sub.atLeast(3))[2]?.data?.unionChanged).toEqual(s1Shows(1_500, 2));
    expect(hub().failures.failing()).toBe(false);
    for (const sub of [...s1, co, alerts]) expect(sub.completed).toBe(false);
    // the alerts shown last are the alerts as they are
    await settled(server.app);
    const asQueried = await query(
      t,
      '{ complianceAlerts(unionId: "s1", includeSubtree: true) { unionId rule } }',
    );
    expect(alerts.results.at(-1)?.data?.complianceAlertsChanged).toEqual(
      asQueried.complianceAlerts,
    );
    for (const sub of [...s1, co])
      expect(sub.results.every((r) => r.errors === undefined)).toBe(true);
  });

  it('does not send a message whose field read failed; the retry sends it whole', async () => {
    const { t, s1, co } = await watched();
    // the union reads; its duesPeriod field (read while the selection executes) fails
    await owner('REVOKE SELECT ON rm_dues_union_period FROM union_app_rw');
    await notify(t, ['s1', 'co']);
    await untilRetried(2 * 4);
    for (const sub of [...s1, co]) {
      expect(sub.completed).toBe(false);
      expect(sub.results).toHaveLength(1);
    }
    await owner('GRANT SELECT ON rm_dues_union_period TO union_app_rw');
    for (const sub of s1) {
      const shown = await sub.atLeast(2);
      expect(shown[1]).toEqual({ data: { unionChanged: s1Shows(1_000, 1) } });
      expect(last(sub)).toEqual(s1Shows(1_000, 1));
    }
    expect((await co.atLeast(2))[1]?.errors).toBeUndefined();
    await server.store.appendToStream(t, 'member-m1', [pay('m1', 't1', 500)]);
    for (const sub of s1)
      expect((await sub.atLeast(3))[2]?.data?.unionChanged).toEqual(s1Shows(1_500, 2));
  });
});
