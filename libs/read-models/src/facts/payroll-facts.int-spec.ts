import { randomUUID } from 'node:crypto';
import type { Event } from '@app/core';
import { PostgresEventStore, type StreamAppend } from '@app/event-store';
import {
  ActorUnits,
  DuesProjection,
  ProjectionRunner,
  REGISTRY_PROJECTION,
  ReadModelMemberFacts,
  RegistryProjection,
  STALE_STREAM_VERSION,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { ImportDuesPayrollCommand, ImportDuesPayrollHandler } from '@app/unions';
import { Client } from 'pg';
import { absent, imported, paid, smallTree } from './facts.fixtures';

const N = 3_000;
const id = (i: number) => `m${String(i).padStart(5, '0')}`;
const unionOf = (i: number) => (i % 2 === 0 ? 'b1' : 't1');

describe('MEMBER_FACTS.payrollMembers on 3,000 members', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let actors: ActorUnits;
  const tenant = `tenant-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(store, db.appPool, [
      new RegistryProjection(),
      new DuesProjection(),
    ]);
    actors = new ActorUnits();
    actors.register(tenant, 'treasurer', '/co/s1/b1/');
    await smallTree(store, tenant);
    // every member imported; every third paid March; every fifth paid January too
    const appends: StreamAppend[] = [];
    for (let i = 0; i < N; i++) {
      const events: Event[] = [imported(id(i), unionOf(i), { joinedOn: '2024-01-01' })];
      if (i % 5 === 0) events.push(paid(id(i), unionOf(i), '2024-01'));
      if (i % 3 === 0) events.push(paid(id(i), unionOf(i), '2024-03'));
      appends.push({ streamId: `member-${id(i)}`, events, expectedVersion: 'no_stream' });
    }
    for (let i = 0; i < appends.length; i += 500) {
      await store.appendToStreams(tenant, appends.slice(i, i + 500));
    }
    await runner.catchUp();
  });
  afterAll(() => db.close());

  it('reads in chunks, one statement each, with the members’ stream versions', async () => {
    const query = jest.spyOn(Client.prototype, 'query');
    try {
      const facts = new ReadModelMemberFacts(db.appPool, actors, 1_000);
      const ids = [...Array.from({ length: N }, (_, i) => id(i)), 'unknown-1', id(7)];
      const members = await facts.payrollMembers(tenant, '2024-03', ids);
      const statements = query.mock.calls.filter((call) =>
        String(call[0]).includes('FROM rm_members m'),
      );
      expect(statements).toHaveLength(4); // 3,001 distinct ids in chunks of 1,000
      expect(members.size).toBe(N);
      for (let i = 0; i < N; i++) {
        const expected = 1 + (i % 5 === 0 ? 1 : 0) + (i % 3 === 0 ? 1 : 0);
        const row = members.get(id(i));
        expect(row?.streamVersion).toBe(expected);
        expect(row?.periodAlreadyPaid).toBe(i % 3 === 0);
      }
      expect(members.get(id(4))).toEqual({
        standing: 'MEMBER',
        joinedPeriod: '2024-01',
        exemptFrom: null,
        periodAlreadyPaid: false,
        unionPath: ['co', 's1', 'b1'],
        streamVersion: 1,
      });
      expect(members.get(id(1))?.unionPath).toEqual(['co', 's1', 'b1', 't1']);
    } finally {
      query.mockRestore();
    }
  });

  it('gives a version that cannot append when the dues model lags behind the registry', async () => {
    await store.appendToStream(tenant, `member-${id(1)}`, [paid(id(1), 't1', '2024-04')]);
    await store.appendToStream(tenant, `member-${id(2)}`, [absent(id(2), 'b1')]);
    await runner.catchUp([REGISTRY_PROJECTION]); // the dues model stays behind
    const facts = new ReadModelMemberFacts(db.appPool, actors);
    const april = await facts.payrollMembers(tenant, '2024-04', [id(1), id(2), id(4)]);
    expect(april.get(id(1))).toMatchObject({
      periodAlreadyPaid: false, // not seen yet by the dues model…
      streamVersion: STALE_STREAM_VERSION, // …so the facts cannot be appended on
    });
    // an absence is nothing to the dues model: its facts stand, with the registry's version
    expect(april.get(id(2))?.streamVersion).toBe(2);
    expect(april.get(id(4))?.streamVersion).toBe(1);
    await runner.catchUp();
    const caughtUp = await facts.payrollMembers(tenant, '2024-04', [id(1)]);
    expect(caughtUp.get(id(1))).toMatchObject({ periodAlreadyPaid: true, streamVersion: 2 });
  });

  it('feeds a real payroll import of the subtree through the handler', async () => {
    const handler = new ImportDuesPayrollHandler(
      store,
      new ReadModelMemberFacts(db.appPool, actors),
    );
    // b1's members only (even ids; t1 is below b1 too, so every member is in the subtree)
    const rows = Array.from({ length: N }, (_, i) => ({ memberId: id(i), wageBaseFen: 500_000 }));
    const metadata = {
      tenantId: tenant,
      actor: 'treasurer',
      now: new Date('2024-06-10T04:00:00Z'),
      commandId: randomUUID(),
    };
    const outcome = await handler.execute(
      new ImportDuesPayrollCommand(
        { unionId: 'b1', period: '2024-05', paidOn: '2024-05-25', rows },
        metadata,
      ),
    );
    expect(outcome).toMatchObject({ rows: N, accepted: N, rejected: 0, totalFen: N * 2_500 });
    await runner.catchUp();
    const again = await handler.execute(
      new ImportDuesPayrollCommand(
        { unionId: 'b1', period: '2024-05', paidOn: '2024-05-25', rows },
        { ...metadata, commandId: randomUUID() },
      ),
    );
    expect(again).toMatchObject({ accepted: 0, rejected: N });
    expect(new Set(again.rejectedRows.map((r) => r.reason))).toEqual(
      new Set(['DUES_ALREADY_PAID']),
    );
  });
});
