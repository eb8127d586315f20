import { randomUUID } from 'node:crypto';
import type { Event } from '@app/core';
import { withTenant } from '@app/database';
import { AuditSealer, PostgresEventStore } from '@app/event-store';
import {
  AuditIndexProjection,
  auditTrail,
  ProjectionRunner,
  RegistryProjection,
  streamHistory,
  UnknownStreamCategoryError,
} from '@app/read-models';
import {
  createTestDatabase,
  duesPaid,
  memberImported,
  type TestDatabase,
  unionEstablished,
} from '@app/testing';

const established = (unionId: string, level: string, parentId: string | null): Event =>
  unionEstablished(unionId, level, parentId, { name: `n-${unionId}` });
const imported = (memberId: string, unionId: string): Event =>
  memberImported(memberId, unionId, { gender: 'FEMALE' });
const paid = (memberId: string, unionId: string, period: string): Event =>
  duesPaid(memberId, unionId, period, { source: 'PAYMENT', paidOnDay: 25 });

describe('audit trail and stream history', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let sealer: AuditSealer;
  const t = `t-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(store, db.appPool, [
      new RegistryProjection(),
      new AuditIndexProjection(),
    ]);
    sealer = new AuditSealer(store, db.appPool);
    const meta = (actor: string) => ({ metadata: { actor } });
    await store.appendToStream(t, 'union-co', [established('co', 'COMPANY', null)], meta('hq'));
    await store.appendToStream(
      t,
      'union-s1',
      [established('s1', 'SECONDARY_UNIT', 'co')],
      meta('hq'),
    );
    await store.appendToStream(
      t,
      'union-s2',
      [established('s2', 'SECONDARY_UNIT', 'co')],
      meta('hq'),
    );
    await store.appendToStream(t, 'union-t1', [established('t1', 'TEAM', 's1')], meta('hq'));
    await store.appendToStream(t, 'union-t2', [established('t2', 'TEAM', 's2')], meta('hq'));
    await store.appendToStream(
      t,
      'member-m1',
      [imported('m1', 't1'), paid('m1', 't1', '2026-01')],
      meta('officer-1'),
    );
    await store.appendToStream(
      t,
      'member-m1',
      [
        {
          type: 'MemberTransferCompleted',
          data: {
            memberId: 'm1',
            transferId: 'x',
            fromUnionId: 't1',
            toUnionId: 't2',
            toExternal: null,
            completedOn: '2026-02-01',
          },
        },
      ],
      meta('officer-2'),
    );
    await store.appendToStream(t, 'member-m1', [paid('m1', 't2', '2026-02')], meta('officer-2'));
    // another tenant's events never show up
    await store.appendToStream(
      `other-${randomUUID()}`,
      'union-co',
      [established('co', 'COMPANY', null)],
      meta('hq'),
    );
    await runner.catchUp();
    await sealer.sealAll();
  });
  afterAll(() => db.close());

  const types = (nodes: { type: string }[]) => nodes.map((n) => n.type);

  it('filters by union subtree using the union of the time of each event', async () => {
    const s1 = await auditTrail(
      db.appPool,
      t,
      { unionPath: '/co/s1/', includeSubtree: true },
      { first: 50 },
    );
    // the payment in January was made at t1 (under s1); the one in February at t2 (under s2)
    expect(types(s1.nodes)).toEqual([
      'UnionEstablished',
      'UnionEstablished',
      'MemberImported',
      'DuesPaid',
    ]);
    const s2 = await auditTrail(
      db.appPool,
      t,
      { unionPath: '/co/s2/', includeSubtree: true },
      { first: 50 },
    );
    expect(types(s2.nodes)).toEqual([
      'UnionEstablished',
      'UnionEstablished',
      'MemberTransferCompleted',
      'DuesPaid',
    ]);
    const onlyS2 = await auditTrail(
      db.appPool,
      t,
      { unionPath: '/co/s2/', includeSubtree: false },
      { first: 50 },
    );
    expect(types(onlyS2.nodes)).toEqual(['UnionEstablished']);
  });

  it('filters by member, actor and type, and carries the chain position and hash', async () => {
    const byMember = await auditTrail(db.appPool, t, { memberId: 'm1' }, { first: 50 });
    expect(byMember.nodes).toHaveLength(4);
    expect(byMember.nodes.every((n) => /^[0-9a-f]{64}$/.test(n.hash))).toBe(true);
    expect(byMember.nodes.map((n) => Number(n.tenantSequence))).toEqual([6, 7, 8, 9]);
    const byActor = await auditTrail(db.appPool, t, { actor: 'officer-2' }, { first: 50 });
    expect(types(byActor.nodes)).toEqual(['MemberTransferCompleted', 'DuesPaid']);
    const byType = await auditTrail(db.appPool, t, { types: ['DuesPaid'] }, { first: 50 });
    expect(byType.nodes.map((n) => (n.data as { period: string }).period)).toEqual([
      '2026-01',
      '2026-02',
    ]);
  });

  it('pages by position without gaps or repeats', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 10; i++) {
      const page = await auditTrail(db.appPool, t, {}, { first: 3, after });
      seen.push(...page.nodes.map((n) => n.position));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toHaveLength(9);
    expect(new Set(seen).size).toBe(9);
    expect(seen.map(Number)).toEqual([...seen.map(Number)].sort((a, b) => a - b));
  });

  it('changes nothing when the same batch is applied twice, and a rebuild writes the same rows', async () => {
    const rows = async () =>
      (
        await db.ownerPool.query<Record<string, unknown>>(
          `SELECT position::text, stream_id, type, actor, union_path, member_id, recorded_at
             FROM rm_audit_events WHERE tenant_id = $1 ORDER BY position`,
          [t],
        )
      ).rows;
    const before = await rows();
    expect(before).toHaveLength(9);
    const { events } = await store.readAll({ tenantId: t, limit: 1000 });
    const projection = new AuditIndexProjection();
    for (let i = 0; i < 2; i++)
      await withTenant(db.appPool, t, (client) =>
        projection.apply(client, { tenantId: t, events }),
      );
    expect(await rows()).toEqual(before);
    // the rebuild's own applier (a plain INSERT into the emptied table): the same rows
    await runner.rebuild([projection.name]);
    expect(await rows()).toEqual(before);
  });

  it('replays a member stream step by step with its decider', async () => {
    const steps = await streamHistory(store, t, 'member-m1');
    expect(steps.map((s) => [s.version, s.type])).toEqual([
      [1, 'MemberImported'],
      [2, 'DuesPaid'],
      [3, 'MemberTransferCompleted'],
      [4, 'DuesPaid'],
    ]);
    expect(steps[0]!.state).toMatchObject({ status: 'ACTIVE' });
    const upTo2 = await streamHistory(store, t, 'member-m1', { untilVersion: 2 });
    expect(upTo2).toHaveLength(2);
    await expect(streamHistory(store, t, 'ledger-1')).rejects.toBeInstanceOf(
      UnknownStreamCategoryError,
    );
  });
});
