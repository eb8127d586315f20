import { dateInZone } from '@app/core';
import { duesPaid, memberImported } from '@app/testing';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { SharedExecution } from '../../apps/api/src/live/shared-execution';
import {
  liveClient,
  settled,
  untilWatching,
  type Json,
  type LiveClient,
  type Received,
} from './live-client';
import { liveServer, unionTree } from './live-fixture';

const PERIOD = dateInZone(new Date()).slice(0, 7);
const UNION_CHANGED = `subscription($id: ID!, $period: String!) { unionChanged(unionId: $id) {
  id stats { subtreeMembers } duesPeriod(period: $period) { paidFen payingMembers } } }`;
const ALERTS = `subscription { complianceAlertsChanged(unionId: "s1", includeSubtree: true) {
  unionId rule message } }`;

describe('live subscriptions share one execution per group of identical subscribers', () => {
  const server = liveServer();
  const { connect } = server;

  /** co → s1 → t1, two members in t1, projected. */
  async function tenant(): Promise<string> {
    const t = await unionTree(server.store, { m0: 't1', m1: 't1' });
    await settled(server.app);
    return t;
  }
  /** A client whose upgrade request asks for a language. */
  const connectIn = async (t: string, language: string): Promise<LiveClient> =>
    server.track(
      liveClient(server.wsUrl, `Bearer ${await server.token(t)}`, { 'accept-language': language }),
    );
  const pay = (t: string, m: string, amountFen: number) =>
    server.store.appendToStream(t, `member-${m}`, [
      duesPaid(m, 't1', PERIOD, { amountFen, source: 'PAYMENT' }),
    ]);
  const counts = () => ({ ...server.app.get(SharedExecution).counts });
  const first = async (sub: Received, n = 1) => (await sub.atLeast(n))[n - 1];

  it('executes the selection once for subscribers with the same viewer scope, document and variables', async () => {
    const t = await tenant();
    // two users with the same role and unit, over two connections, three subscriptions each
    const subs = [await connect(t), await connect(t)].flatMap((c) =>
      [0, 1, 2].map(() => c.subscribe(UNION_CHANGED, { id: 's1', period: PERIOD })),
    );
    await untilWatching(server.app, 6);
    const before = counts();
    await pay(t, 'm0', 1_000);
    const shown = await Promise.all(subs.map((s) => first(s)));
    for (const message of shown)
      expect(message?.data?.unionChanged).toEqual({
        id: 's1',
        stats: { subtreeMembers: 2 },
        duesPeriod: { paidFen: 1_000, payingMembers: 1 },
      });
    const after = counts();
    expect(after.executed - before.executed).toBe(1);
    expect(after.shared - before.shared).toBe(5);

    // the next change is a new payload: executed anew, once
    await pay(t, 'm1', 500);
    for (const sub of subs)
      expect((await first(sub, 2))?.data?.unionChanged).toMatchObject({
        duesPeriod: { paidFen: 1_500, payingMembers: 2 },
      });
    expect(counts().executed - after.executed).toBe(1);
  });

  it('executes once per group when scope, grants or variables differ, each group with its own answer', async () => {
    const t = await tenant();
    const root = await connect(t);
    const unit = await connect(t, { unit: 's1' });
    const pii = await connect(t, { permissions: ['PII_READ'] });
    const previous = `${Number(PERIOD.slice(0, 4)) - 1}${PERIOD.slice(4)}`;
    const now = [root, root, unit, pii].map((c) =>
      c.subscribe(UNION_CHANGED, { id: 's1', period: PERIOD }),
    );
    const lastYear = root.subscribe(UNION_CHANGED, { id: 's1', period: previous });
    await untilWatching(server.app, 5);
    const before = counts();
    await pay(t, 'm0', 1_000);
    for (const sub of now)
      expect((await first(sub))?.data?.unionChanged).toMatchObject({
        duesPeriod: { paidFen: 1_000, payingMembers: 1 },
      });
    expect((await first(lastYear))?.data?.unionChanged).toMatchObject({
      duesPeriod: { paidFen: 0, payingMembers: 0 },
    });
    // groups: root now (2 subscribers), unit, PII_READ, root last year
    const after = counts();
    expect(after.executed - before.executed).toBe(4);
    expect(after.shared - before.shared).toBe(1);
  });

  it('keeps the language per group: alerts in English and in Chinese, each executed once', async () => {
    const t = await tenant();
    // a team of 24: the 25th member makes COMMITTEE_REQUIRED appear
    for (let i = 2; i < 24; i++)
      await server.store.appendToStream(t, `member-x${i}`, [memberImported(`x${i}`, 't1')]);
    await settled(server.app);
    const en = await connectIn(t, 'en');
    const zh = await connectIn(t, 'zh-CN');
    const subs = [en, en, zh, zh].map((c) => c.subscribe(ALERTS));
    await untilWatching(server.app, 4);
    const before = counts();
    await server.store.appendToStream(t, 'member-x24', [memberImported('x24', 't1')]);
    const shown = await Promise.all(subs.map(async (s) => (await first(s))?.data));
    const committee = (data: Json | null | undefined) =>
      (data?.complianceAlertsChanged as { rule: string; message: string }[]).find(
        (a) => a.rule === 'COMMITTEE_REQUIRED',
      )?.message;
    expect(committee(shown[0])).toMatch(/[a-z]/);
    expect(committee(shown[2])).toMatch(/[\u4e00-\u9fff]/);
    expect(shown[1]).toEqual(shown[0]);
    expect(shown[3]).toEqual(shown[2]);
    const after = counts();
    expect(after.executed - before.executed).toBe(2);
    expect(after.shared - before.shared).toBe(2);
  });

  it('wakes the subscribers of this process without the NOTIFY round trip, and skips that NOTIFY when it comes back', async () => {
    const t = await tenant();
    const sub = (await connect(t)).subscribe(UNION_CHANGED, { id: 's1', period: PERIOD });
    await untilWatching(server.app, 1);
    await settled(server.app);
    const hub = server.app.get(LiveHub);
    const skipped = hub.echoesSkipped;
    const heard: string[] = [];
    const undo = hub.onChange((change) => {
      if (change?.tenantId === t && change.kind === 'unions') heard.push(change.unionIds.join());
    });
    await pay(t, 'm0', 1_000);
    expect((await first(sub))?.data?.unionChanged).toMatchObject({
      duesPeriod: { paidFen: 1_000, payingMembers: 1 },
    });
    await settled(server.app); // every notification sent so far has come back
    undo();
    expect(hub.echoesSkipped).toBeGreaterThan(skipped);
    // the change was heard once (directly); its NOTIFY coming back woke nothing
    expect(heard).toHaveLength(1);
    expect(heard[0]!.split(',').sort()).toEqual(['co', 's1', 't1']);
    expect(sub.results).toHaveLength(1);
  });
});
