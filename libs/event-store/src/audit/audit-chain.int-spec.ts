import { randomUUID } from 'node:crypto';
import { AuditSealer, PostgresEventStore, verifyChain } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';

describe('audit chain: sealed after the fact, verified from the events', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let sealer: AuditSealer;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    sealer = new AuditSealer(store, db.appPool, { batchSize: 7 });
  });
  afterAll(() => db.close());

  /** A tenant with 12 events over 3 streams, interleaved with another tenant's, all sealed. */
  async function sealedTenant(): Promise<{ tenant: string; other: string; positions: number[] }> {
    const tenant = `t-${randomUUID()}`;
    const other = `t-${randomUUID()}`;
    const positions: number[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await store.appendToStream(tenant, `s-${i % 3}`, [
        { type: 'Paid', data: { amountFen: 1000 + i, note: '会费' } },
      ]);
      positions.push(r.position);
      await store.appendToStream(other, 'x', [{ type: 'Other', data: { i } }]);
    }
    await sealer.sealAll();
    return { tenant, other, positions };
  }

  it('assigns each tenant a contiguous sequence and verifies clean chains', async () => {
    const { tenant, other } = await sealedTenant();
    const { rows } = await db.ownerPool.query<{ tenant_sequence: string }>(
      'SELECT tenant_sequence FROM audit_chain WHERE tenant_id = $1 ORDER BY tenant_sequence',
      [tenant],
    );
    expect(rows.map((r) => Number(r.tenant_sequence))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
    const report = await verifyChain(db.appPool, tenant);
    expect(report).toMatchObject({
      ok: true,
      checked: 12,
      firstBrokenSequence: null,
      reason: null,
    });
    expect(report.head?.sequence).toBe(12);
    expect(report.head?.hash).toMatch(/^[0-9a-f]{64}$/);
    await expect(verifyChain(db.appPool, other)).resolves.toMatchObject({ ok: true, checked: 12 });
    // sealing again is a no-op
    expect(await sealer.sealAll()).toBe(0);
  });

  it('continues a chain across batches and later appends', async () => {
    const { tenant } = await sealedTenant();
    await store.appendToStream(tenant, 's-0', [{ type: 'Paid', data: { amountFen: 1 } }]);
    await sealer.sealAll();
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({ ok: true, checked: 13 });
  });

  it('catches one edited byte of one event', async () => {
    const { tenant, positions } = await sealedTenant();
    await db.ownerPool.query(
      `UPDATE events SET data = jsonb_set(data, '{amountFen}', '1006') WHERE global_position = $1`,
      [positions[4]],
    ); // was 1004
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({
      ok: false,
      firstBrokenSequence: 5,
      reason: 'HASH_MISMATCH',
      checked: 4,
    });
  });

  it('catches a deleted event', async () => {
    const { tenant, positions } = await sealedTenant();
    await db.ownerPool.query('DELETE FROM events WHERE global_position = $1', [positions[7]]);
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({
      ok: false,
      firstBrokenSequence: 8,
      reason: 'EVENT_MISSING',
    });
  });

  it('catches two events swapped in the log', async () => {
    const { tenant, positions } = await sealedTenant();
    const [a, b] = [positions[2]!, positions[3]!];
    await db.ownerPool.query('UPDATE events SET global_position = -1 WHERE global_position = $1', [
      a,
    ]);
    await db.ownerPool.query('UPDATE events SET global_position = $1 WHERE global_position = $2', [
      a,
      b,
    ]);
    await db.ownerPool.query('UPDATE events SET global_position = $1 WHERE global_position = -1', [
      b,
    ]);
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({
      ok: false,
      firstBrokenSequence: 3,
      reason: 'HASH_MISMATCH',
    });
  });

  it('catches two chain entries swapped', async () => {
    const { tenant } = await sealedTenant();
    const move = (from: number, to: number) =>
      db.ownerPool.query(
        'UPDATE audit_chain SET tenant_sequence = $3 WHERE tenant_id = $1 AND tenant_sequence = $2',
        [tenant, from, to],
      );
    await move(9, 1000);
    await move(10, 9);
    await move(1000, 10);
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({
      ok: false,
      firstBrokenSequence: 9,
      reason: 'HASH_MISMATCH',
    });
  });

  it('catches a deleted chain entry and a chain cut short', async () => {
    const { tenant } = await sealedTenant();
    await db.ownerPool.query(
      'DELETE FROM audit_chain WHERE tenant_id = $1 AND tenant_sequence = 6',
      [tenant],
    );
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({
      firstBrokenSequence: 6,
      reason: 'SEQUENCE_GAP',
    });

    const cut = await sealedTenant();
    await db.ownerPool.query('DELETE FROM events WHERE global_position = $1', [cut.positions[11]]);
    await db.ownerPool.query(
      'DELETE FROM audit_chain WHERE tenant_id = $1 AND tenant_sequence = 12',
      [cut.tenant],
    );
    await expect(verifyChain(db.appPool, cut.tenant)).resolves.toMatchObject({
      firstBrokenSequence: 12,
      reason: 'HEAD_MISMATCH',
    });
  });

  it('catches an event slipped in below the sealed horizon', async () => {
    const { tenant } = await sealedTenant();
    await db.ownerPool.query(
      `INSERT INTO events (global_position, tenant_id, stream_id, stream_version, event_id, type, data, transaction_id)
       VALUES (nextval('events_global_position_seq'), $1, 's-forged', 1, gen_random_uuid(), 'Paid', '{}', '1'::xid8)`,
      [tenant],
    );
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({
      ok: false,
      reason: 'UNSEALED_EVENT',
    });
  });

  it('never forks a chain when two sealers race', async () => {
    const tenant = `t-${randomUUID()}`;
    for (let i = 0; i < 20; i++)
      await store.appendToStream(tenant, 's', [{ type: 'N', data: { i } }]);
    const second = new AuditSealer(store, db.appPool, { batchSize: 7 });
    await Promise.allSettled([sealer.sealAll(), second.sealAll()]);
    await sealer.sealAll();
    await expect(verifyChain(db.appPool, tenant)).resolves.toMatchObject({ ok: true, checked: 20 });
  });

  it('rejects a missing tenant', async () => {
    await expect(verifyChain(db.appPool, '')).rejects.toMatchObject({ code: 'MISSING_TENANT' });
  });
});
