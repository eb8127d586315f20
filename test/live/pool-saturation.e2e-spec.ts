import { dateInZone } from '@app/core';
import { APP_POOL } from '@app/database';
import { LIVE_CHANNEL } from '@app/read-models';
import { duesPaid } from '@app/testing';
import type { Pool, PoolClient } from 'pg';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { settled, untilWatching } from './live-client';
import { liveServer, unionTree } from './live-fixture';

// its own file: Nest's Logger is process-wide, so the log lines checked here need the only app
const PERIOD = dateInZone(new Date()).slice(0, 7);
const UNION_CHANGED = `subscription($id: ID!) { unionChanged(unionId: $id) {
  id stats { subtreeMembers arrearsMembers } duesPeriod(period: "${PERIOD}") { paidFen payingMembers } } }`;

describe('live subscriptions survive a saturated pool (connection timeouts)', () => {
  // a small pool that gives up waiting for a connection quickly, as under load
  const lines: string[] = [];
  const server = liveServer(
    {},
    { DB_POOL_MAX: '3', DB_CONNECTION_TIMEOUT_MS: '200' },
    { write: (chunk) => lines.push(...chunk.split('\n').filter(Boolean)) },
  );

  it('keeps the dashboards open while no connection is to be had, and sends the figures once there is', async () => {
    const t = await unionTree(server.store, { m0: 't1', m1: 't1', m2: 's2' });
    await settled(server.app);
    const viewers = [await server.connect(t), await server.connect(t)];
    const s1 = viewers.flatMap((v) => [0, 1].map(() => v.subscribe(UNION_CHANGED, { id: 's1' })));
    await untilWatching(server.app, 4);
    const paid = duesPaid('m0', 't1', PERIOD, { amountFen: 2_500, source: 'PAYMENT' });
    await server.store.appendToStream(t, 'member-m0', [paid]);
    for (const sub of s1) await sub.atLeast(1);

    // every connection of the API's pool is taken: its reads time out waiting for one
    const pool = server.app.get<Pool>(APP_POOL);
    const held: PoolClient[] = [];
    for (let i = 0; i < 3; i++) held.push(await pool.connect());
    const hub = server.app.get(LiveHub);
    const target = hub.failures.counts.retried + 2 * s1.length;
    await server.db.ownerPool.query(`SELECT pg_notify($1, $2)`, [
      LIVE_CHANNEL,
      JSON.stringify({ t, u: ['s1'] }),
    ]);
    while (hub.failures.counts.retried < target) await new Promise((r) => setTimeout(r, 20));
    for (const sub of s1) {
      expect(sub.completed).toBe(false);
      expect(sub.results).toHaveLength(1);
    }
    held.forEach((client) => client.release());
    const shows = {
      id: 's1',
      stats: { subtreeMembers: 2, arrearsMembers: 2 },
      duesPeriod: { paidFen: 2_500, payingMembers: 1 },
    };
    for (const sub of s1)
      expect((await sub.atLeast(2))[1]).toEqual({ data: { unionChanged: shows } });
    expect(hub.failures.failing()).toBe(false);
    // one warning for the whole burst (four subscribers, several rounds), one when it is over
    const failing = lines.filter((l) => l.includes('live reads failing'));
    expect(failing).toHaveLength(1);
    expect(failing[0]).not.toMatch(/s1|m0|t-[0-9a-f]{8}/);
    expect(lines.filter((l) => l.includes('live reads recovered'))).toHaveLength(1);
  });
});
