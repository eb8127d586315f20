import { mintToken } from '@app/auth';
import { SECRET } from '../api/mutation-client';
import type { Ctx, Who } from './attempts';
import { crossTenant, unauthenticated } from './cross-tenant.attempts';
import { OTHER_MARK, securityFixture, type Reply } from './security-fixture';
import { withinTenant } from './within-tenant.attempts';

const ATTEMPTS = [...crossTenant, ...withinTenant, ...unauthenticated];

describe('adversarial tenant isolation: every attempt refused with its code, never data', () => {
  const api = securityFixture();
  const { t, o, T, O } = api;
  const ctx = { t, o, T, O, tk: {} } as Ctx;
  const before: Record<string, number> = {};
  const snapshot = (c: Ctx) =>
    api.raw(
      `{ union(id: "${c.o.co}") { name status version stats { members subtreeMembers subtreeUnions arrearsMembers }
           children { id name version children { id name version status governanceForm } } }
         members(unionId: "${c.o.co}", includeSubtree: true) { totalCount nodes { id name status version lastPaidPeriod } }
         election(id: "${c.o.election}") { status winners } transfer(id: "${c.o.transfer}") { status } }`,
      { authorization: `Bearer ${other}` },
    );
  let other = '';
  let readModels: Reply | undefined;

  beforeAll(async () => {
    await api.start();
    const tk: Record<Who, string> = {
      hq: await api.token('hq'),
      s1: await api.token('s1', { unit: t.s1 }),
      s2: await api.token('s2', { unit: t.s2 }),
      t1: await api.token('t1', { unit: t.t1 }),
      t3: await api.token('t3', { unit: t.t3 }),
      auditor: await api.token('auditor', { roles: ['AUDITOR'] }),
      auditorS2: await api.token('auditor-s2', { roles: ['AUDITOR'], unit: t.s2 }),
      member: await api.token('member-a', { roles: ['MEMBER'], member: t.A }),
      admin: await mintToken(SECRET, { sub: 'platform', roles: ['PLATFORM_ADMIN'] }),
      adminT: await mintToken(SECRET, { sub: 'platform', tenant: T, roles: ['PLATFORM_ADMIN'] }),
    };
    ctx.tk = tk;
    other = await mintToken(SECRET, { sub: 'o-hq', tenant: O, roles: ['OFFICER'] });
    before.T = (await api.eventsOf(T)).length;
    before.O = (await api.eventsOf(O)).length;
    readModels = await snapshot(ctx);
  });
  afterAll(() => api.stop());

  it('has a victim worth attacking', () => {
    expect(readModels?.errors).toBeUndefined();
    expect(JSON.stringify(readModels)).toContain(`${OTHER_MARK}-member-A`);
    expect(before.O).toBeGreaterThan(20);
    expect(ATTEMPTS.length).toBeGreaterThanOrEqual(50);
    expect(new Set(ATTEMPTS.map((a) => a.title)).size).toBe(ATTEMPTS.length);
  });

  it.each(ATTEMPTS)('$title → $code', async (attempt) => {
    const { headers, query: text, variables } = await attempt.request(ctx);
    const reply = await api.raw(text, headers, variables);
    expect(reply.errors?.[0]?.extensions.code).toBe(attempt.code);
    expect(reply.data?.[attempt.field] ?? null).toBeNull();
    const body = JSON.stringify(reply);
    // no name of either tenant: names appear only in data (inputs never carry them)
    expect(body).not.toContain(OTHER_MARK);
    expect(body).not.toContain('OWN-');
    // the other tenant's ids may be echoed in a message about the caller's own input, nowhere else
    const beyondMessages = JSON.stringify({
      data: reply.data ?? null,
      extensions: reply.errors?.map((e) => e.extensions),
    });
    for (const id of [O, ...Object.values(o)]) expect(beyondMessages).not.toContain(id);
  });

  it.each(['election', 'transfer'] as const)(
    'answers their %s exactly as an id that does not exist: NOT_FOUND, no data',
    async (field) => {
      const ask = (id: string) =>
        api.raw(`{ ${field}(id: "${id}") { id } }`, { authorization: `Bearer ${ctx.tk.hq}` });
      const theirs = o[field];
      const missing = `${t[field]}-does-not-exist`;
      const reply = await ask(theirs);
      const unknown = await ask(missing);
      expect(reply.errors?.[0]?.extensions.code).toBe('NOT_FOUND');
      // the same answer but for the caller's own id echoed in the message
      expect(JSON.stringify(reply).replaceAll(theirs, 'ID')).toBe(
        JSON.stringify(unknown).replaceAll(missing, 'ID'),
      );
      expect(reply.data?.[field] ?? null).toBeNull();
      const beyondMessage = JSON.stringify({
        data: reply.data ?? null,
        extensions: reply.errors?.map((e) => e.extensions),
      });
      expect(beyondMessage).not.toContain(theirs);
    },
  );

  it('left both tenants’ events and the other tenant’s read models unchanged', async () => {
    expect((await api.eventsOf(O)).length).toBe(before.O);
    expect((await api.eventsOf(T)).length).toBe(before.T);
    await api.catchUp();
    expect(await snapshot(ctx)).toEqual(readModels);
  });
});
