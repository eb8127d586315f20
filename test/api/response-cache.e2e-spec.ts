import { encodeLiveChanges, LIVE_CHANNEL } from '@app/read-models';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { OperationsMetrics } from '../../apps/api/src/metrics/operations.metrics';
import { personalData, privacyFixture } from '../privacy/privacy-fixture';
import type { Json } from './mutation-client';

const UNION = `query($id: ID!, $c: String) { union(id: $id, consistentAfter: $c) { name
  stats { subtreeUnions } children { id } } }`;
const MEMBER = 'query($id: ID!) { member(id: $id) { id nationalId phone } }';

/**
 * Until no notification has come in for a while: the API hears its own commits through LISTEN
 * too, a little after they are done, and each one (rightly) empties the tenant's answers.
 */
async function quietNotifications(api: ReturnType<typeof privacyFixture>): Promise<void> {
  const hub = api.app().get(LiveHub);
  for (let same = 0, last = -1; same < 4;) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    same = hub.notificationsReceived === last ? same + 1 : 0;
    last = hub.notificationsReceived;
  }
}

/**
 * The response cache on the real API (createApiApp, as main.ts runs it). The maximum age is a
 * minute here, so every fresh answer below is owed to an invalidation, not to expiry.
 */
describe('response cache of read-only queries', () => {
  const api = privacyFixture({ RESPONSE_CACHE_MS: '60000' });
  const { ids, token, ok, gql } = api;
  const pii = personalData();
  const tokens: Record<string, string> = {};
  beforeAll(async () => {
    await api.start();
    tokens.hq = await token('hq');
    tokens.hqPii = await token('hq-pii', { permissions: ['PII_READ'] });
    tokens.auditor = await token('auditor', { roles: ['AUDITOR'] });
    tokens.s2 = await token('s2-officer', { unit: ids.s2 });
    const applied = await ok('applyForMembership', tokens.hq, {
      unionId: ids.t1,
      name: '会员丙',
      gender: 'FEMALE',
      employeeNo: 'E-9',
      nationalId: pii.nationalId,
      phone: pii.phone,
    });
    ids.a = (applied.member as Json).id as string;
    await ok('approveMembership', tokens.hq, { memberId: ids.a });
  });
  afterAll(() => api.stop());

  const hits = async () =>
    (await api.app().get(OperationsMetrics).responseCache.get()).values.find(
      (v) => v.labels.outcome === 'hit',
    )?.value ?? 0;
  const quiet = () => quietNotifications(api);
  const read = async (auth: string, query: string, variables: Json) => {
    const r = await gql(query, auth, variables);
    return { data: r.data, code: r.errors?.[0]?.extensions?.code ?? null };
  };
  /** Changes a read model behind the API's back, as another process's projector would. */
  const renameBehindTheApi = (unionId: string, name: string) =>
    api
      .db()
      .ownerPool.query('UPDATE rm_unions SET name = $3 WHERE tenant_id = $1 AND union_id = $2', [
        api.T,
        unionId,
        name,
      ]);

  it('answers a repeated query from the cache, and a write is seen by the next read', async () => {
    await quiet();
    const before = await read(tokens.hq!, UNION, { id: ids.s1 });
    const h0 = await hits();
    expect(await read(tokens.hq!, UNION, { id: ids.s1 })).toEqual(before);
    expect(await hits()).toBe(h0 + 1);
    const union = before.data?.union as { stats: { subtreeUnions: number }; children: Json[] };

    const established = await ok('establishUnion', tokens.hq!, {
      parentId: ids.s1,
      name: '三队工会',
      level: 'TEAM',
    });
    const after = (await read(tokens.hq!, UNION, { id: ids.s1 })).data?.union as typeof union;
    expect(after.stats.subtreeUnions).toBe(union.stats.subtreeUnions + 1);
    expect(after.children.map((c) => c.id)).toContain((established.union as Json).id);
  });

  it('never gives a narrower scope or a viewer without PII_READ what a broader one was shown', async () => {
    const full = await read(tokens.hqPii!, MEMBER, { id: ids.a });
    expect(full.data?.member).toMatchObject({ nationalId: pii.nationalId, phone: pii.phone });
    expect(await read(tokens.hqPii!, MEMBER, { id: ids.a })).toEqual(full);

    for (const viewer of [tokens.hq!, tokens.auditor!]) {
      const masked = await read(viewer, MEMBER, { id: ids.a });
      expect(masked.data?.member).toMatchObject({
        nationalId: pii.maskedNationalId,
        phone: pii.maskedPhone,
      });
    }
    // the member is under s1: an officer of s2 is refused, however often the HQ read it
    const outside = await read(tokens.s2!, MEMBER, { id: ids.a });
    expect(outside).toEqual({ data: { member: null }, code: 'FORBIDDEN' });
    const roster = 'query($u: ID!) { members(unionId: $u, includeSubtree: true) { totalCount } }';
    expect((await read(tokens.hq!, roster, { u: ids.s1 })).code).toBeNull();
    expect((await read(tokens.s2!, roster, { u: ids.s1 })).code).toBe('FORBIDDEN');
  });

  it('forgets a tenant’s answers when another process notifies a commit', async () => {
    await quiet();
    const original = (await read(tokens.hq!, UNION, { id: ids.t2 })).data?.union as Json;
    await renameBehindTheApi(ids.t2!, '改名的二队工会');
    // no notification yet: the cached answer still stands (this is what the cache does)
    expect((await read(tokens.hq!, UNION, { id: ids.t2 })).data?.union).toEqual(original);

    const hub = api.app().get(LiveHub);
    const heard = hub.notificationsReceived;
    const [payload] = encodeLiveChanges({ kind: 'unions', tenantId: api.T, unionIds: [ids.t2!] });
    await api.db().ownerPool.query('SELECT pg_notify($1, $2)', [LIVE_CHANNEL, payload]);
    while (hub.notificationsReceived === heard) await new Promise((r) => setTimeout(r, 10));

    expect((await read(tokens.hq!, UNION, { id: ids.t2 })).data?.union).toMatchObject({
      name: '改名的二队工会',
    });
  });

  it('reads afresh when consistentAfter is given', async () => {
    const { position } = await ok('establishUnion', tokens.hq!, {
      parentId: ids.s2,
      name: '四队工会',
      level: 'TEAM',
    });
    await quiet();
    const cached = (await read(tokens.hq!, UNION, { id: ids.s2, c: null })).data?.union as Json;
    await renameBehindTheApi(ids.s2!, '改名的二厂工会');
    expect((await read(tokens.hq!, UNION, { id: ids.s2, c: null })).data?.union).toEqual(cached);
    expect(
      (await read(tokens.hq!, UNION, { id: ids.s2, c: String(position) })).data?.union,
    ).toMatchObject({ name: '改名的二厂工会' });
  });
});

describe('response cache and the rate limit', () => {
  const LIMIT = 6; // the fixture's setup uses 4 requests of its own officer
  const api = privacyFixture({ RESPONSE_CACHE_MS: '60000', RATE_LIMIT_MAX: String(LIMIT) });
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  it('counts answers from the cache against the caller’s budget', async () => {
    const auth = await api.token(`dana-${api.T}`);
    // the last answer's status and Retry-After
    let refusal: [number, string | null] = [0, null];
    const ask = async () => {
      const response = await fetch(api.url(), {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}` },
        body: JSON.stringify({ query: UNION, variables: { id: api.ids.co } }),
      });
      const body = (await response.json()) as { errors?: { extensions: { code: string } }[] };
      refusal = [response.status, response.headers.get('retry-after')];
      return [response.headers.get('x-ratelimit-remaining'), body.errors?.[0]?.extensions.code];
    };
    const hits = async () =>
      (await api.app().get(OperationsMetrics).responseCache.get()).values.find(
        (v) => v.labels.outcome === 'hit',
      )?.value ?? 0;
    await quietNotifications(api);
    const replies = [];
    for (let i = 0; i < LIMIT; i++) replies.push(await ask());
    expect(replies).toEqual(
      Array.from({ length: LIMIT }, (_, i) => [String(LIMIT - 1 - i), undefined]),
    );
    expect(await hits()).toBe(LIMIT - 1);
    expect(refusal[0]).toBe(200);
    // over the budget, a query the cache holds is refused like any other: 429 and Retry-After
    expect((await ask())[1]).toBe('TOO_MANY_REQUESTS');
    expect(refusal[0]).toBe(429);
    expect(refusal[1]).toMatch(/^[1-9]\d*$/);
  });
});
