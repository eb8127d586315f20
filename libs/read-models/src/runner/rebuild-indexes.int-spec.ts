import { randomUUID } from 'node:crypto';
import { PostgresEventStore } from '@app/event-store';
import {
  AuditIndexProjection,
  DuesProjection,
  ProjectionRunner,
  RegistryProjection,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { restoreIndexes, suspendIndexes } from './rebuild-indexes';

const TABLES = ['rm_audit_events', 'rm_dues_members', 'rm_dues_ledger'];

describe('secondary indexes suspended during a rebuild (migration 0019)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.close());

  /** Every index of the tables with its definition, in a stable order. */
  const indexes = async (tables: readonly string[] = TABLES) =>
    (
      await db.ownerPool.query<{ name: string; def: string }>(
        `SELECT indexname AS name, indexdef AS def FROM pg_indexes
          WHERE schemaname = 'public' AND tablename = ANY($1) ORDER BY indexname`,
        [tables],
      )
    ).rows;
  const suspended = async () =>
    (
      await db.ownerPool.query<{ index_name: string }>(
        'SELECT index_name FROM rebuild_suspended_indexes ORDER BY index_name',
      )
    ).rows.map((r) => r.index_name);

  it('drops only the non-unique indexes of the named rm_ tables as the application role, and builds the same ones again', async () => {
    const before = await indexes();
    const secondary = before.filter((i) => !i.name.endsWith('_pkey')).map((i) => i.name);
    expect(secondary).toEqual(
      expect.arrayContaining(['rm_audit_events_member_idx', 'rm_dues_members_arrears_idx']),
    );
    const others = await indexes(['rm_members', 'events']);

    expect(await suspendIndexes(db.appPool, TABLES)).toBe(secondary.length);
    expect((await indexes()).map((i) => i.name)).toEqual(
      before.filter((i) => i.name.endsWith('_pkey')).map((i) => i.name),
    );
    expect(await suspended()).toEqual([...secondary].sort());
    expect(await indexes(['rm_members', 'events'])).toEqual(others);
    // twice is harmless: nothing left to drop, the kept definitions stay
    expect(await suspendIndexes(db.appPool, TABLES)).toBe(0);

    expect(await restoreIndexes(db.appPool, TABLES)).toBe(secondary.length);
    expect(await indexes()).toEqual(before);
    expect(await suspended()).toEqual([]);
  });

  it('two restores at once build each index once (one index per call, migration 0023)', async () => {
    const before = await indexes();
    const secondary = before.filter((i) => !i.name.endsWith('_pkey'));
    expect(await suspendIndexes(db.appPool, TABLES)).toBe(secondary.length);
    const built = await Promise.all([
      restoreIndexes(db.appPool, TABLES),
      restoreIndexes(db.appPool, TABLES),
    ]);
    expect(built[0] + built[1]).toBe(secondary.length);
    expect(await indexes()).toEqual(before);
    expect(await suspended()).toEqual([]);
  });

  it('refuses anything but read-model tables, and the application role cannot drop an index itself', async () => {
    const events = await indexes(['events', 'subscription_checkpoints']);
    expect(await suspendIndexes(db.appPool, ['events', 'subscription_checkpoints'])).toBe(0);
    expect(await indexes(['events', 'subscription_checkpoints'])).toEqual(events);
    await expect(db.appPool.query('DROP INDEX rm_audit_events_member_idx')).rejects.toThrow(
      /must be owner/,
    );
  });

  it('a rebuild leaves every index in place, and a runner that starts builds the ones a killed rebuild left suspended', async () => {
    const before = await indexes();
    const store = new PostgresEventStore(db.appPool);
    const tenantId = `idx-${randomUUID()}`;
    await store.appendToStream(tenantId, 'thing-1', [{ type: 'ThingHappened', data: {} }]);
    const projections = [
      new RegistryProjection(),
      new DuesProjection(),
      new AuditIndexProjection(),
    ];
    await new ProjectionRunner(store, db.appPool, projections).rebuild();
    expect(await indexes()).toEqual(before);
    expect(await suspended()).toEqual([]);

    // as a rebuild killed between its load and the end would leave them
    await suspendIndexes(db.appPool, TABLES);
    const runner = new ProjectionRunner(store, db.appPool, projections);
    runner.start();
    await runner.stop();
    expect(await indexes()).toEqual(before);
    expect(await suspended()).toEqual([]);
  });
});
