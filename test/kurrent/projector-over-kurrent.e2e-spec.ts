import { randomUUID } from 'node:crypto';
import type { Event } from '@app/core';
import { AuditSealer, kurrentEventStoreOverTestDouble } from '@app/event-store';
import { ProjectionRunner, allProjections } from '@app/read-models';
import {
  createTestDatabase,
  memberImported,
  type TestDatabase,
  unionEstablished,
} from '@app/testing';

const established = (unionId: string, level: string, parentId: string | null): Event =>
  unionEstablished(unionId, level, parentId, { name: `Union ${unionId}` });
const imported = (memberId: string, unionId: string): Event =>
  memberImported(memberId, unionId, { name: `Member ${memberId}`, gender: 'FEMALE' });

/**
 * EVENT_STORE=kurrentdb as far as this machine can show it: the projections and the audit sealer
 * follow the KurrentDB adapter's filtered `$all` (over the documented-behaviour double, no server)
 * into the PostgreSQL read models, checkpointed by (commit, prepare) position, and
 * read-your-writes finds a written event's commit position through `checkpointAt`.
 */
describe('projector and sealer over the KurrentDB adapter (test double)', () => {
  let db: TestDatabase;
  const store = kurrentEventStoreOverTestDouble();
  const T = `t-${randomUUID()}`;
  const O = `o-${randomUUID()}`;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  const count = async (table: string, tenantId: string) =>
    Number(
      (
        await db.ownerPool.query<{ n: string }>(
          `SELECT count(*) AS n FROM ${table} WHERE tenant_id = $1`,
          [tenantId],
        )
      ).rows[0]!.n,
    );

  it('projects $all into the read models, checkpointed by commit position', async () => {
    for (const tenant of [T, O]) {
      await store.appendToStreams(tenant, [
        { streamId: 'union-co', events: [established('co', 'COMPANY', null)] },
        { streamId: 'union-s1', events: [established('s1', 'SECONDARY_UNIT', 'co')] },
        { streamId: 'union-t1', events: [established('t1', 'TEAM', 's1')] },
      ]);
    }
    let last = await store.appendToStream(T, 'member-a0', [imported('a0', 't1')]);
    for (const id of ['a1', 'a2'])
      last = await store.appendToStream(T, `member-${id}`, [imported(id, 't1')]);

    const runner = new ProjectionRunner(store, db.appPool, allProjections());
    // nothing applies yet: read-your-writes must wait for the event, not answer at once
    await expect(runner.waitFor(T, last.position, 300)).rejects.toMatchObject({
      code: 'CONSISTENCY_TIMEOUT',
    });
    expect(await runner.catchUp()).toBeGreaterThan(0);
    await runner.waitFor(T, last.position, 5_000);

    expect(await count('rm_unions', T)).toBe(3);
    expect(await count('rm_members', T)).toBe(3);
    expect(await count('rm_unions', O)).toBe(3);
    expect(await count('rm_members', O)).toBe(0);
    const { rows } = await db.ownerPool.query<{ tx: string; pos: string }>(
      `SELECT transaction_id::text AS tx, global_position AS pos FROM subscription_checkpoints
        WHERE name = 'registry'`,
    );
    expect(rows[0]).toEqual({ tx: last.transactionId, pos: String(last.position) });
    // a multi-event append shares one commit position: ordered by (commit, prepare)
    const all = await store.readAll({ tenantId: O });
    expect(new Set(all.events.map((e) => e.transactionId)).size).toBe(1);
    expect(all.events.map((e) => e.globalPosition)).toEqual(
      [...all.events.map((e) => e.globalPosition)].sort((a, b) => a - b),
    );

    // a later append is picked up from the stored checkpoint
    await store.appendToStream(T, 'member-a3', [imported('a3', 't1')]);
    await runner.catchUp();
    expect(await count('rm_members', T)).toBe(4);
  });

  it('seals every event of each tenant in $all order', async () => {
    const sealer = new AuditSealer(store, db.appPool);
    await sealer.sealAll();
    expect(await count('audit_chain', T)).toBe(7);
    expect(await count('audit_chain', O)).toBe(3);
  });
});
