import type { Role } from '@app/auth';
import { memberImported } from '@app/testing';
import { LiveHub } from '../../apps/api/src/live/live-hub';
import { settled, untilWatching, type Json } from './live-client';
import { liveServer, unionTree } from './live-fixture';

const AUDIT = `subscription($after: String, $filter: AuditFilter) {
  auditEvents(afterPosition: $after, filter: $filter) { position tenantSequence streamId type data hash } }`;

describe('auditEvents over graphql-ws', () => {
  const server = liveServer();
  const connect = (tenant: string, role: Role, unit?: string) =>
    server.connect(tenant, { sub: 'auditor-1', roles: [role], unit });
  const tenantWithTree = () => unionTree(server.store);
  /** One event: member n joins the union, named `Name n`. */
  const join = (tenant: string, unionId: string, n: number) =>
    server.store.appendToStream(tenant, `member-m${n}`, [
      memberImported(`m${n}`, unionId, { name: `Name ${n}`, gender: 'FEMALE' }),
    ]);
  const names = (results: { data?: Json | null }[]) =>
    results.map((r) => ((r.data?.auditEvents as Json).data as Json).name);

  it('delivers every sealed event in chain order, and resumes after a reconnect without a gap', async () => {
    const tenant = await tenantWithTree();
    const other = await tenantWithTree();
    await settled(server.app);
    const first = await connect(tenant, 'AUDITOR');
    const live = first.subscribe(AUDIT);
    await untilWatching(server.app, 1);
    for (let n = 1; n <= 3; n++) await join(tenant, n % 2 ? 's1' : 's2', n);
    await join(other, 's1', 99);
    const before = await live.atLeast(3);
    expect(names(before)).toEqual(['Name 1', 'Name 2', 'Name 3']);

    await first.dispose();
    while (server.app.get(LiveHub).watching() > 0) await new Promise((r) => setTimeout(r, 10));
    for (let n = 4; n <= 7; n++) await join(tenant, 's1', n);
    const last = before.at(-1)!.data?.auditEvents as Json;
    const resumed = (await connect(tenant, 'AUDITOR')).subscribe(AUDIT, { after: last.position });
    await resumed.atLeast(4);
    await join(tenant, 's2', 8);
    const after = await resumed.atLeast(5);

    const all = [...before, ...after].map((r) => r.data?.auditEvents as Json);
    expect(names([...before, ...after])).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((n) => `Name ${n}`));
    const sequences = all.map((e) => Number(e.tenantSequence));
    expect(sequences).toEqual(sequences.map((_, i) => sequences[0]! + i));
    expect(new Set(all.map((e) => e.hash)).size).toBe(8);
  });

  it('filters to a union, and refuses officers and positions that are not sealed events', async () => {
    const tenant = await tenantWithTree();
    await settled(server.app);
    const auditor = await connect(tenant, 'AUDITOR');
    const s2Only = auditor.subscribe(AUDIT, { filter: { unionId: 's2' } });
    await untilWatching(server.app, 1);
    const badPosition = auditor.subscribe(AUDIT, { after: '999999999' });
    const officer = (await connect(tenant, 'OFFICER')).subscribe(AUDIT);
    const scoped = (await connect(tenant, 'AUDITOR', 's1')).subscribe(AUDIT, {
      filter: { unionId: 's2' },
    });
    for (let n = 1; n <= 4; n++) await join(tenant, n % 2 ? 's1' : 's2', n);
    expect(names(await s2Only.atLeast(2))).toEqual(['Name 2', 'Name 4']);
    const codes = await Promise.all(
      [badPosition, officer, scoped].map(
        async (r) => (await r.atLeast(1))[0]?.errors?.[0]?.extensions?.code,
      ),
    );
    expect(codes).toEqual(['NOT_FOUND', 'FORBIDDEN', 'FORBIDDEN']);
    expect([badPosition, officer, scoped].every((r) => r.results.every((m) => !m.data))).toBe(true);
  });
});
