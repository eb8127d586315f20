import { randomUUID } from 'node:crypto';
import { mintToken } from '@app/auth';
import { OperationsMetrics } from '../../apps/api/src/metrics/operations.metrics';
import { settled } from '../live/live-client';
import { privacyFixture } from '../privacy/privacy-fixture';
import { SECRET, type Json } from './mutation-client';

const UNION = 'query U($id: ID!) { union(id: $id) { id name stats { subtreeUnions } } }';

/**
 * The response cache's fast path (in front of Express) on the real API over HTTP: what it sends,
 * to whom, and until when. The maximum age is a minute, so every fresh answer below is owed to
 * an invalidation, not to expiry.
 */
describe('response cache fast path', () => {
  const api = privacyFixture({ RESPONSE_CACHE_MS: '60000' });
  const { ids, token, ok } = api;
  beforeAll(() => api.start());
  afterAll(() => api.stop());

  /**
   * Until everything committed so far is projected, sealed and heard back through LISTEN, so no
   * late notification can empty the cache under a test. The marker names a tenant of its own:
   * it empties nobody's answers.
   */
  const quiet = () => settled(api.app(), `marker-${randomUUID()}`);
  const counter = async (outcome: 'hit' | 'miss') =>
    (await api.app().get(OperationsMetrics).responseCache.get()).values.find(
      (v) => v.labels.outcome === outcome,
    )?.value ?? 0;
  const httpCount = async () =>
    (await api.app().get(OperationsMetrics).httpRequests.get()).values.find(
      (v) => v.labels.route === '/graphql' && v.labels.status === '200',
    )?.value ?? 0;
  /** The exact bytes sent, with its status and headers. */
  const post = async (auth: string, text: string, headers: Record<string, string> = {}) => {
    const response = await fetch(api.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${auth}`, ...headers },
      body: text,
    });
    return { status: response.status, headers: response.headers, text: await response.text() };
  };
  const unionBody = (id: string) => JSON.stringify({ query: UNION, variables: { id } });
  const renameBehindTheApi = (tenantId: string, unionId: string, name: string) =>
    api
      .db()
      .ownerPool.query('UPDATE rm_unions SET name = $3 WHERE tenant_id = $1 AND union_id = $2', [
        tenantId,
        unionId,
        name,
      ]);

  it('sends a hit as the bytes of the first answer, with request ids, metrics and a log line', async () => {
    const hq = await token('hq');
    await quiet();
    const first = await post(hq, unionBody(ids.t1!));
    expect(JSON.parse(first.text)).toMatchObject({ data: { union: { id: ids.t1 } } });
    const [hits, misses, http] = [await counter('hit'), await counter('miss'), await httpCount()];
    const requestId = `hit-${randomUUID()}`;
    const again = await post(hq, unionBody(ids.t1!), { 'x-request-id': requestId });
    expect(again.text).toBe(first.text);
    expect(again.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(again.headers.get('x-request-id')).toBe(requestId);
    expect(again.headers.get('x-correlation-id')).toBe(requestId);
    expect([await counter('hit'), await counter('miss'), await httpCount()]).toEqual([
      hits + 1,
      misses,
      http + 1,
    ]);
    const line = api.logs.find((l) => l.includes(requestId) && l.includes('request completed'));
    expect(JSON.parse(line ?? '{}')).toMatchObject({
      req: { id: requestId, method: 'POST', path: '/graphql' },
      res: { statusCode: 200 },
      correlationId: requestId,
    });
    expect(line).not.toContain(hq); // never the token
  });

  it('serves the old bytes only until a projection commit of the tenant, not after', async () => {
    const hq = await token('hq');
    await quiet();
    const before = await post(hq, unionBody(ids.t2!));
    await renameBehindTheApi(api.T, ids.t2!, '改名的二队工会');
    // nothing of the tenant committed: the kept answer still stands (this is what the cache does)
    expect((await post(hq, unionBody(ids.t2!))).text).toBe(before.text);

    // another tenant's commit leaves this tenant's answers alone
    const otherHq = await mintToken(SECRET, { sub: 'hq', tenant: api.O, roles: ['OFFICER'] });
    await ok('establishUnion', otherHq, {
      parentId: ids.oCo,
      name: '别家工会',
      level: 'SECONDARY_UNIT',
    });
    await quiet();
    const hits = await counter('hit');
    expect((await post(hq, unionBody(ids.t2!))).text).toBe(before.text);
    expect(await counter('hit')).toBe(hits + 1);

    // a commit of this tenant: the next read is computed afresh
    await ok('establishUnion', hq, {
      parentId: ids.t2,
      name: '二队一组工会',
      level: 'GROUP',
    });
    const fresh = (await post(hq, unionBody(ids.t2!))).text;
    expect(fresh).not.toBe(before.text);
    const after = JSON.parse(fresh) as { data: { union: { stats: { subtreeUnions: number } } } };
    const old = JSON.parse(before.text) as typeof after;
    expect(after.data.union.stats.subtreeUnions).toBe(old.data.union.stats.subtreeUnions + 1);
  });

  it('never sends another tenant, scope or role the bytes kept for someone else', async () => {
    const hq = await token('hq');
    await quiet();
    const text = unionBody(ids.t1!);
    const kept = await post(hq, text);
    expect(JSON.parse(kept.text)).toMatchObject({ data: { union: { id: ids.t1 } } });
    const code = (reply: { text: string }) =>
      (JSON.parse(reply.text) as { errors?: { extensions: Json }[] }).errors?.[0]?.extensions.code;
    // the same subject and body, in another tenant: the id is unknown there
    const elsewhere = await mintToken(SECRET, { sub: 'hq', tenant: api.O, roles: ['OFFICER'] });
    const other = await post(elsewhere, text);
    expect(other.text).not.toBe(kept.text);
    expect(code(other)).toBe('NOT_FOUND');
    // an officer of the other branch, and a member: outside their scope
    for (const claims of [{ unit: ids.s2 }, { roles: ['MEMBER' as const], member: 'm-1' }]) {
      const outside = await post(await token('hq', claims), text);
      expect(outside.text).not.toBe(kept.text);
      expect(code(outside)).toMatch(/^(FORBIDDEN|NOT_FOUND)$/);
    }
    expect((await post(hq, text)).text).toBe(kept.text);
  });

  it('refuses an expired token however often its document was answered from the cache', async () => {
    const text = unionBody(ids.s1!);
    await quiet();
    // valid for 5 to 6 s (exp is in whole seconds): time enough for two requests on a busy machine
    const shortLived = await mintToken(SECRET, { sub: 'hq', tenant: api.T, roles: ['OFFICER'] }, 6);
    const expiresAtMs =
      (
        JSON.parse(Buffer.from(shortLived.split('.')[1]!, 'base64url').toString()) as {
          exp: number;
        }
      ).exp * 1000;
    const kept = await post(shortLived, text);
    expect(JSON.parse(kept.text)).toMatchObject({ data: { union: { id: ids.s1 } } });
    const hits = await counter('hit');
    expect((await post(shortLived, text)).text).toBe(kept.text);
    expect(await counter('hit')).toBe(hits + 1);

    while (Date.now() <= expiresAtMs) await new Promise((r) => setTimeout(r, 50));
    const refused = await post(shortLived, text);
    const reply = JSON.parse(refused.text) as {
      data?: { union: unknown } | null;
      errors: { extensions: Json }[];
    };
    expect(reply.errors[0]?.extensions.code).toBe('UNAUTHENTICATED');
    expect(reply.data?.union ?? null).toBeNull();
    expect(refused.text).not.toContain(ids.s1);
    // the same scope with a valid token still gets the kept bytes
    expect((await post(await token('hq'), text)).text).toBe(kept.text);
  });

  it('answers malformed bodies and mutations with a valid token exactly as without the fast path', async () => {
    const hq = await token('hq');
    const malformed = '{"query": "{ union(id: \\"x\\") { id } }"';
    const viaFastPath = await post(hq, malformed);
    const response = await fetch(api.url(), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: malformed,
    });
    expect(viaFastPath.status).toBe(response.status);
    expect(viaFastPath.text).toBe(await response.text());
    expect(viaFastPath.status).toBe(400);

    const misses = await counter('miss');
    const establish = async () =>
      ok('establishUnion', hq, {
        parentId: ids.t1,
        name: `组-${randomUUID()}`,
        level: 'GROUP',
      });
    const [a, b] = [await establish(), await establish()];
    expect((a.union as Json).id).not.toBe((b.union as Json).id);
    expect(await counter('miss')).toBe(misses);
  });
});
