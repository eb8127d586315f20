import { dateInZone } from '@app/core';
import { duesPaid, memberImported } from '@app/testing';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { settled, untilWatching } from './live-client';
import { liveServer, unionTree } from './live-fixture';

const PERIOD = dateInZone(new Date()).slice(0, 7);
const UNION_CHANGED = `subscription($id: ID!) { unionChanged(unionId: $id) {
  id stats { subtreeMembers arrearsMembers } duesPeriod(period: "${PERIOD}") { paidFen payingMembers } } }`;

describe('live subscriptions share their reads', () => {
  const server = liveServer();
  const { connect } = server;

  /** co → s1 → t1 and co → s2, two members in t1 and one in s2, projected. */
  async function tenant(): Promise<string> {
    const t = await unionTree(server.store, { m0: 't1', m1: 't1', m2: 's2' });
    await settled(server.app);
    return t;
  }
  const pay = (m: string, unionId: string, amountFen: number) =>
    duesPaid(m, unionId, PERIOD, { amountFen, source: 'PAYMENT' });
  const batches = (t: string) => server.app.get(LiveHub).reads.batchesOf(t);

  it('reads each union once per change for all its subscribers, every changed union in one query', async () => {
    const t = await tenant();
    // subscribers of one union over several connections, with and without the PII_READ
    // permission (a union shows no personal data, so they share one read), and of its parent
    const viewers = [
      await connect(t),
      await connect(t, { permissions: ['PII_READ'] }),
      await connect(t, { unit: 's1' }),
    ];
    const s1 = viewers.flatMap((v) => [0, 1].map(() => v.subscribe(UNION_CHANGED, { id: 's1' })));
    const co = [viewers[0]!, viewers[1]!].map((v) => v.subscribe(UNION_CHANGED, { id: 'co' }));
    await untilWatching(server.app, 8);

    await server.store.appendToStream(t, 'member-m0', [pay('m0', 't1', 1_000)]);
    // liable since 2024-02 and never paid before: everyone is in arrears
    const s1Shows = { id: 's1', stats: { subtreeMembers: 2, arrearsMembers: 2 } };
    for (const sub of s1)
      expect((await sub.atLeast(1))[0]?.data?.unionChanged).toEqual({
        ...s1Shows,
        duesPeriod: { paidFen: 1_000, payingMembers: 1 },
      });
    for (const sub of co)
      expect((await sub.atLeast(1))[0]?.data?.unionChanged).toEqual({
        id: 'co',
        stats: { subtreeMembers: 3, arrearsMembers: 3 },
        duesPeriod: { paidFen: 1_000, payingMembers: 1 },
      });
    // eight messages, two unions: one read of the unions, one of the counts, one of the dues
    expect(batches(t)).toEqual({ union: 1, arrearsCount: 1, duesPeriod: 1 });

    // the next change is read anew (nothing stale from the shared read), again once
    await server.store.appendToStream(t, 'member-m1', [pay('m1', 't1', 500)]);
    for (const sub of s1)
      expect((await sub.atLeast(2))[1]?.data?.unionChanged).toEqual({
        ...s1Shows,
        duesPeriod: { paidFen: 1_500, payingMembers: 2 },
      });
    for (const sub of co) await sub.atLeast(2);
    expect(batches(t)).toEqual({ union: 2, arrearsCount: 2, duesPeriod: 2 });
  });

  it('drops only what a change names: a sibling payment re-reads the sibling and the parent', async () => {
    const t = await tenant();
    const live = await connect(t);
    const s1 = live.subscribe(UNION_CHANGED, { id: 's1' });
    const s2 = live.subscribe(UNION_CHANGED, { id: 's2' });
    const co = live.subscribe(UNION_CHANGED, { id: 'co' });
    await untilWatching(server.app, 3);
    await server.store.appendToStream(t, 'member-m0', [pay('m0', 't1', 1_000)]);
    await s1.atLeast(1);
    await co.atLeast(1);
    await server.store.appendToStream(t, 'member-m2', [pay('m2', 's2', 700)]);
    expect((await s2.atLeast(1))[0]?.data?.unionChanged).toMatchObject({
      id: 's2',
      duesPeriod: { paidFen: 700, payingMembers: 1 },
    });
    expect((await co.atLeast(2))[1]?.data?.unionChanged).toMatchObject({
      id: 'co',
      duesPeriod: { paidFen: 1_700, payingMembers: 2 },
    });
    await settled(server.app);
    expect(s1.results).toHaveLength(1);
  });

  it('still checks the scope of each subscription when the union is already read for others', async () => {
    const t = await tenant();
    const hq = await connect(t);
    const watched = hq.subscribe(UNION_CHANGED, { id: 's1' });
    await untilWatching(server.app, 1);
    await server.store.appendToStream(t, 'member-m0', [pay('m0', 't1', 1_000)]);
    await watched.atLeast(1);

    const sibling = (await connect(t, { unit: 's2' })).subscribe(UNION_CHANGED, { id: 's1' });
    const [refused] = await sibling.atLeast(1);
    expect(refused?.data ?? null).toBeNull();
    expect(refused?.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const elsewhere = await tenant(); // same union ids in another tenant: nothing of t
    const other = (await connect(elsewhere)).subscribe(UNION_CHANGED, { id: 's1' });
    await untilWatching(server.app, 2);
    await server.store.appendToStream(t, 'member-m1', [pay('m1', 't1', 500)]);
    await watched.atLeast(2);
    await settled(server.app);
    expect(other.results).toEqual([]);
  });

  it('reads the alerts under a union once per change for all their subscribers', async () => {
    const t = await tenant();
    // a team of 24 (m0 and m1 are there already): the 25th makes COMMITTEE_REQUIRED appear
    for (let i = 2; i < 24; i++)
      await server.store.appendToStream(t, `member-x${i}`, [memberImported(`x${i}`, 't1')]);
    await settled(server.app);
    const alerts = `subscription { complianceAlertsChanged(unionId: "s1", includeSubtree: true) {
      unionId rule } }`;
    const viewers = [await connect(t), await connect(t, { unit: 's1' })];
    const subs = viewers.flatMap((v) => [v.subscribe(alerts), v.subscribe(alerts)]);
    await untilWatching(server.app, 4);
    const before = batches(t).alerts ?? 0;
    await server.store.appendToStream(t, 'member-x24', [memberImported('x24', 't1')]);
    const shown = await Promise.all(subs.map(async (sub) => (await sub.atLeast(1))[0]));
    expect(shown[0]?.data?.complianceAlertsChanged).toEqual(
      expect.arrayContaining([{ unionId: 't1', rule: 'COMMITTEE_REQUIRED' }]),
    );
    expect(new Set(shown.map((m) => JSON.stringify(m)))).toEqual(
      new Set([JSON.stringify(shown[0])]),
    );
    expect((batches(t).alerts ?? 0) - before).toBe(1);
  });
});
