import { mintToken } from '@app/auth';
import { dateInZone } from '@app/core';
import { memberImported as imported } from '@app/testing';
import { SECRET } from '../support/test-api';
import { liveClient, settled, untilWatching } from './live-client';
import { liveServer, unionTree } from './live-fixture';

const PERIOD = dateInZone(new Date()).slice(0, 7);

const UNION_CHANGED = `subscription($id: ID!) { unionChanged(unionId: $id) {
  id stats { subtreeMembers } duesPeriod(period: "${PERIOD}") { paidFen payingMembers } } }`;

describe('live subscriptions over graphql-ws', () => {
  const server = liveServer({ maxSubscriptionsPerConnection: 3 });
  const { token } = server;

  /** The tree of unionTree with `members` members in `place`. */
  const tenantWith = (members: number, place = 's1') =>
    unionTree(
      server.store,
      Object.fromEntries(Array.from({ length: members }, (_, i) => [`m${i}`, place])),
    );
  const connect = (auth: string | undefined) =>
    server.track(liveClient(server.wsUrl, auth === undefined ? undefined : `Bearer ${auth}`));
  async function gql(query: string, auth: string, variables: Record<string, unknown> = {}) {
    const response = await fetch(server.httpUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as {
      data?: Record<string, Record<string, unknown>>;
      errors?: unknown[];
    };
  }
  async function payroll(tenant: string, unionId: string, memberIds: string[], fen: number) {
    const r = await gql(
      `mutation($input: ImportDuesPayrollInput!) { importDuesPayroll(input: $input) { accepted position } }`,
      await token(tenant),
      {
        input: {
          unionId,
          period: PERIOD,
          rows: memberIds.map((memberId) => ({ memberId, wageBaseFen: fen * 200, amountFen: fen })),
        },
      },
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.importDuesPayroll?.accepted).toBe(memberIds.length);
  }

  it('pushes one coalesced unionChanged with the new figures to the unit and each ancestor, and nothing to others', async () => {
    const tenant = await tenantWith(4);
    const other = await tenantWith(4);
    await settled(server.app);
    const hq = connect(await token(tenant));
    const s1 = hq.subscribe(UNION_CHANGED, { id: 's1' });
    const co = hq.subscribe(UNION_CHANGED, { id: 'co' });
    const below = hq.subscribe(UNION_CHANGED, { id: 't1' });
    const sibling = connect(await token(tenant)).subscribe(UNION_CHANGED, { id: 's2' });
    // the other tenant watches unions with the same ids
    const elsewhere = connect(await token(other)).subscribe(UNION_CHANGED, { id: 's1' });
    await untilWatching(server.app, 5);

    await payroll(tenant, 's1', ['m0', 'm1', 'm2'], 1_000);
    const [first] = await s1.atLeast(1);
    const figures = { subtreeMembers: 4, paid: { paidFen: 3_000, payingMembers: 3 } };
    expect(first).toEqual({
      data: {
        unionChanged: {
          id: 's1',
          stats: { subtreeMembers: figures.subtreeMembers },
          duesPeriod: figures.paid,
        },
      },
    });
    expect((await co.atLeast(1))[0]).toEqual({
      data: {
        unionChanged: { id: 'co', stats: { subtreeMembers: 4 }, duesPeriod: figures.paid },
      },
    });
    // a second import: the next message carries it, so the first import sent exactly one
    await payroll(tenant, 's1', ['m3'], 500);
    const messages = await s1.atLeast(2);
    expect(messages.map((m) => m.data?.unionChanged)).toEqual([
      { id: 's1', stats: { subtreeMembers: 4 }, duesPeriod: figures.paid },
      { id: 's1', stats: { subtreeMembers: 4 }, duesPeriod: { paidFen: 3_500, payingMembers: 4 } },
    ]);
    expect((await co.atLeast(2)).length).toBe(2);
    // a union below, a sibling and another tenant's union of the same id heard nothing
    expect(below.results).toEqual([]);
    expect(sibling.results).toEqual([]);
    expect(elsewhere.results).toEqual([]);
  });

  it('makes COMMITTEE_REQUIRED appear when a member joining takes a unit to 25', async () => {
    // a team is a grassroots union (Art. 6 applies to it; a secondary unit is not)
    const tenant = await tenantWith(24, 't1');
    await settled(server.app);
    const live = connect(await token(tenant, { unit: 's1' }));
    const alerts = live.subscribe(
      `subscription { complianceAlertsChanged(unionId: "s1", includeSubtree: true) { unionId rule article severity } }`,
    );
    await untilWatching(server.app, 1);
    await server.store.appendToStream(tenant, 'member-m24', [imported('m24', 't1')]);
    const [message] = await alerts.atLeast(1);
    const list = message!.data?.complianceAlertsChanged as { unionId: string; rule: string }[];
    expect(list).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ unionId: 't1', rule: 'COMMITTEE_REQUIRED' }),
      ]),
    );
  });

  it('refuses a sibling unit (an error, no data) and limits subscriptions per connection', async () => {
    const tenant = await tenantWith(1);
    await settled(server.app);
    const live = connect(await token(tenant, { unit: 's1' }));
    const refused = live.subscribe(UNION_CHANGED, { id: 's2' });
    const results = await refused.atLeast(1);
    await refused.atLeast(2); // until completed
    expect(refused.completed).toBe(true);
    expect(results).toHaveLength(1);
    expect(results[0]!.data ?? null).toBeNull();
    expect(results[0]!.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await server.store.appendToStream(tenant, 'member-x', [imported('x', 's2')]);

    const own = [1, 2, 3].map(() => live.subscribe(UNION_CHANGED, { id: 's1' }));
    await untilWatching(server.app, 3);
    const fourth = live.subscribe(UNION_CHANGED, { id: 't1' });
    await fourth.atLeast(1);
    expect(fourth.failure).toEqual([
      expect.objectContaining({
        extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', rule: 'SUBSCRIPTION_LIMIT' }),
      }),
    ]);
    expect(own.every((r) => !r.completed)).toBe(true);
    expect(refused.results).toHaveLength(1);
  });

  it('closes the socket with 4401 for a missing, forged or expired token and 4403 without a tenant', async () => {
    const tenant = await tenantWith(0);
    const expired = await mintToken(SECRET, { sub: 'u', tenant, roles: ['OFFICER'] }, -60);
    const forged = await mintToken('another-secret-'.padEnd(40, 'y'), {
      sub: 'u',
      tenant,
      roles: ['OFFICER'],
    });
    const admin = await mintToken(SECRET, { sub: 'u', roles: ['PLATFORM_ADMIN'] });
    const codes = await Promise.all(
      [undefined, forged, expired, admin].map(async (auth) => connect(auth).closed),
    );
    expect(codes.map((c) => c.code)).toEqual([4401, 4401, 4401, 4403]);
    expect(codes[2]!.reason).toMatch(/expired/);
  });
});
