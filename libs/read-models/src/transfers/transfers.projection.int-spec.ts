import { withTenant } from '@app/database';
import { TransfersProjection, transferById, transfersInFlight } from '@app/read-models';
import { ev, GovernanceHarness } from '../compliance/governance.fixtures';
import { transferEv } from './transfer.fixtures';

describe('transfers projection and transfers in flight', () => {
  let h: GovernanceHarness;
  beforeAll(async () => {
    h = await GovernanceHarness.start();
  });
  afterAll(() => h.close());

  /** The tree, a member in t1 and one in t3. */
  async function setup(): Promise<string> {
    const t = await h.tenant();
    await h.tree(t);
    await h.append(t, 'member-a', [ev.imported('a', 't1', 'MALE')]);
    await h.append(t, 'member-b', [ev.imported('b', 't3', 'FEMALE')]);
    return t;
  }
  const row = (t: string, id: string) => h.read(t, (c) => transferById(c, t, id));
  const inFlight = (t: string, unionId: string, includeSubtree: boolean) =>
    h.read(t, async (c) =>
      (await transfersInFlight(c, t, unionId, { includeSubtree })).nodes.map((n) => n.id),
    );

  it('follows a transfer between secondary units from request to completion', async () => {
    const t = await setup();
    await h.append(t, 'transfer-x', [
      transferEv.requested(
        'x',
        'a',
        { from: 't1', to: 't3', sending: 's1', receiving: 's2' },
        '2026-03-01',
      ),
    ]);
    expect(await row(t, 'x')).toEqual({
      id: 'x',
      memberId: 'a',
      fromUnionId: 't1',
      toUnionId: 't3',
      toExternal: null,
      route: 'BETWEEN_SECONDARY_UNITS',
      status: 'REQUESTED',
      handledByUnionIds: ['s1', 's2'],
      sendingHandlerUnionId: 's1',
      receivingHandlerUnionId: 's2',
      requestedOn: '2026-03-01',
      releasedOn: null,
      closedOn: null,
      rejectedSide: null,
    });
    const paths = await h.read(t, async (c) => {
      const { rows } = await c.query<{ from_path: string; to_path: string }>(
        "SELECT from_path, to_path FROM rm_transfers WHERE transfer_id = 'x'",
      );
      return rows[0];
    });
    expect(paths).toEqual({ from_path: '/co/s1/b1/t1/', to_path: '/co/s2/b2/t3/' });

    await h.append(t, 'transfer-x', [transferEv.released('x', 'a', 's1', '2026-03-05')]);
    expect(await row(t, 'x')).toMatchObject({ status: 'RELEASED', releasedOn: '2026-03-05' });
    await h.append(t, 'transfer-x', [transferEv.received('x', 'a', 't3', '2026-03-09')]);
    expect(await row(t, 'x')).toMatchObject({
      status: 'COMPLETED',
      releasedOn: '2026-03-05',
      closedOn: '2026-03-09',
    });
    expect(await inFlight(t, 'co', true)).toEqual([]);
  });

  it('records a rejection with its side, and a release to outside the enterprise as completion', async () => {
    const t = await setup();
    await h.append(t, 'transfer-r', [
      transferEv.requested(
        'r',
        'a',
        { from: 't1', to: 't2', sending: 't1', receiving: 't2' },
        '2026-03-01',
      ),
      transferEv.rejected('r', 'a', 'RECEIVING', 't2', '2026-03-02'),
    ]);
    await h.append(t, 'transfer-o', [
      transferEv.requested(
        'o',
        'b',
        { from: 't3', to: null, sending: 'co', receiving: null, toExternal: 'Other Co.' },
        '2026-03-01',
      ),
      transferEv.released('o', 'b', 'co', '2026-03-03', true),
    ]);
    expect(await row(t, 'r')).toMatchObject({
      status: 'REJECTED',
      rejectedSide: 'RECEIVING',
      closedOn: '2026-03-02',
      route: 'WITHIN_SECONDARY_UNIT',
    });
    expect(await row(t, 'o')).toMatchObject({
      status: 'COMPLETED',
      route: 'OUTSIDE_ENTERPRISE',
      toExternal: 'Other Co.',
      toUnionId: null,
      closedOn: '2026-03-03',
    });
    expect(await row(t, 'unknown')).toBeNull();
  });

  it('lists open transfers of a union (from, to or handled by it) or of its whole subtree', async () => {
    const t = await setup();
    await h.append(t, 'transfer-x', [
      transferEv.requested(
        'x',
        'a',
        { from: 't1', to: 't3', sending: 's1', receiving: 's2' },
        '2026-03-02',
      ),
    ]);
    await h.append(t, 'transfer-y', [
      transferEv.requested(
        'y',
        'b',
        { from: 't3', to: null, sending: 'co', receiving: null },
        '2026-03-01',
      ),
    ]);
    await h.append(t, 'transfer-z', [
      transferEv.requested(
        'z',
        'a',
        { from: 't1', to: 't2', sending: 't1', receiving: 't2' },
        '2026-03-03',
      ),
      transferEv.rejected('z', 'a', 'SENDING', 't1', '2026-03-04'),
    ]);
    expect(await inFlight(t, 'co', true)).toEqual(['y', 'x']);
    expect(await inFlight(t, 's1', true)).toEqual(['x']);
    expect(await inFlight(t, 'b2', true)).toEqual(['y', 'x']);
    expect(await inFlight(t, 't1', false)).toEqual(['x']);
    expect(await inFlight(t, 's1', false)).toEqual(['x']); // the sending handler
    expect(await inFlight(t, 'co', false)).toEqual(['y']); // handles transfers out of the enterprise
    expect(await inFlight(t, 'b1', false)).toEqual([]);
    expect(await inFlight(t, 'nowhere', true)).toEqual([]);

    const first = await h.read(t, (c) =>
      transfersInFlight(c, t, 'co', { includeSubtree: true, first: 1 }),
    );
    expect(first).toMatchObject({ hasNextPage: true, totalCount: 2 });
    expect(first.nodes.map((n) => n.id)).toEqual(['y']);
    const second = await h.read(t, (c) =>
      transfersInFlight(c, t, 'co', { includeSubtree: true, first: 1, after: first.endCursor }),
    );
    expect(second).toMatchObject({ hasNextPage: false, totalCount: 2 });
    expect(second.nodes.map((n) => n.id)).toEqual(['x']);
  });

  it('changes nothing when the same batch is applied twice', async () => {
    const t = await setup();
    await h.append(t, 'transfer-x', [
      transferEv.requested(
        'x',
        'a',
        { from: 't1', to: 't3', sending: 's1', receiving: 's2' },
        '2026-03-01',
      ),
      transferEv.released('x', 'a', 's1', '2026-03-05'),
    ]);
    const snapshot = () =>
      h.read(
        t,
        async (c) =>
          (
            await c.query<Record<string, unknown>>(
              'SELECT * FROM rm_transfers ORDER BY transfer_id',
            )
          ).rows,
      );
    const before = await snapshot();
    expect(before).toHaveLength(1);
    const { events } = await h.store.readAll({ tenantId: t, limit: 1000 });
    const projection = new TransfersProjection();
    const twice = () =>
      withTenant(h.db.appPool, t, async (c) => {
        await projection.apply(c, { tenantId: t, events });
        await projection.apply(c, { tenantId: t, events });
      });
    await twice(); // on top of the live rows: every event is at or below their positions
    expect(await snapshot()).toEqual(before);
    // and from empty (this tenant's rows only, under RLS): the same rows again
    await withTenant(h.db.appPool, t, (c) => c.query('DELETE FROM rm_transfers'));
    await twice();
    expect(await snapshot()).toEqual(before);
    expect(await row(t, 'x')).toMatchObject({ status: 'RELEASED' });
  });
});
