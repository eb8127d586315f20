import { randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { cardNumberStreamId } from '@app/unions';
import { allProjections } from '../projections';
import { ProjectionRunner } from '../runner/projection-runner';
import { ActorUnits } from './actor-units';
import { imported, smallTree } from './facts.fixtures';
import { IMPORT_FACTS_SQL, ReadModelMemberFacts } from './member-facts.adapter';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Cond'?: string;
  'Actual Rows'?: number;
  Plans?: PlanNode[];
}
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

describe('import facts (the set-based lookups of importMembers)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let facts: ReadModelMemberFacts;
  const A = `tenant-a-${randomUUID()}`;
  const B = `tenant-b-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    const actors = new ActorUnits();
    facts = new ReadModelMemberFacts(db.appPool, actors);
    for (const tenant of [A, B]) await smallTree(store, tenant);
    await store.appendToStream(A, 'member-a1', [imported('a1', 't1', { cardNumber: 'K-7' })]);
    await store.appendToStream(A, cardNumberStreamId('K-7'), [
      { type: 'CardNumberReserved', data: { cardNumber: 'K-7', memberId: 'a1', generated: false } },
    ]);
    await store.appendToStream(B, 'member-b1', [imported('b1', 't1', { cardNumber: 'K-8' })]);
    await store.appendToStream(B, cardNumberStreamId('K-8'), [
      { type: 'CardNumberReserved', data: { cardNumber: 'K-8', memberId: 'b1', generated: false } },
    ]);
    await new ProjectionRunner(store, db.appPool, allProjections()).catchUp();
  });
  afterAll(() => db.close());

  it("finds the tenant's member streams, reserved card numbers and employee numbers in use, and no other tenant's", async () => {
    const employeeNo = (
      await db.ownerPool.query<{ employee_no: string }>(
        `SELECT employee_no FROM rm_members WHERE tenant_id = $1 AND member_id = 'a1'`,
        [A],
      )
    ).rows[0]?.employee_no;
    expect(employeeNo).toBeTruthy();
    const found = await facts.importFacts(A, {
      memberIds: ['a1', 'b1', 'nobody', 'a1'],
      employeeNos: [employeeNo ?? '', 'E-none'],
      cardNumbers: ['K-7', 'K-8', 'K-9'],
    });
    expect([...found.existingMemberIds]).toEqual(['a1']);
    expect([...found.cardNumbersInUse]).toEqual(['K-7']);
    expect([...found.employeeNosInUse]).toEqual([employeeNo]);
  });

  it('probes each id by key even when the statistics have not seen the events an import just wrote', async () => {
    // an import writes faster than autovacuum analyses: 20,000 events the planner knows nothing of
    await db.ownerPool.query('ALTER TABLE events SET (autovacuum_enabled = false)');
    await db.ownerPool.query(
      `INSERT INTO events (global_position, tenant_id, stream_id, stream_version, event_id, type, data, metadata)
       SELECT nextval('events_global_position_seq'), $1, 'card-number-S' || i, 1, gen_random_uuid(),
              'CardNumberReserved', '{}'::jsonb, '{}'::jsonb
         FROM generate_series(1, 20000) AS i`,
      [A],
    );
    const cards = Array.from({ length: 500 }, (_, i) => `card-number-S${i * 40 + 1}`);
    const members = Array.from({ length: 500 }, () => `member-${randomUUID()}`);
    const plan = await withTenant(db.appPool, A, async (client) => {
      const { rows } = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode }] }>(
        `EXPLAIN (ANALYZE, FORMAT JSON) ${IMPORT_FACTS_SQL}`,
        [A, JSON.stringify([...members, ...cards]), JSON.stringify(['E-1'])],
      );
      return rows[0]?.['QUERY PLAN'][0].Plan;
    });
    const scans = nodes(plan as PlanNode).filter((n) => n['Relation Name'] === 'events');
    expect(scans.length).toBeGreaterThan(0);
    // every read of events is by stream id, one row at most per probe: never the tenant's whole log
    for (const scan of scans) {
      expect(scan['Index Cond']).toContain('stream_id');
      expect(scan['Actual Rows']).toBeLessThanOrEqual(1);
    }
    const found = await facts.importFacts(A, {
      memberIds: [],
      employeeNos: [],
      cardNumbers: ['S1', 'S41', 'S20001'],
    });
    expect([...found.cardNumbersInUse].sort()).toEqual(['S1', 'S41']);
  });
});
