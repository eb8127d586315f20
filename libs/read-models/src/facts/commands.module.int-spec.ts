import { randomBytes, randomUUID } from 'node:crypto';
import { Global, Module, type INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { APP_POOL, withTenant } from '@app/database';
import { EVENT_STORE, PostgresEventStore } from '@app/event-store';
import {
  ActorUnits,
  CommandsModule,
  PostgresPersonalDataProtector,
  ProjectionRunner,
  ReadModelMemberFacts,
  ReadModelUnionFacts,
  allProjections,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  ApplyForMembershipCommand,
  ApproveMembershipCommand,
  EstablishUnionCommand,
  MEMBER_FACTS,
  PERSONAL_DATA_PROTECTOR,
  UNION_FACTS,
  memberStreamId,
  type MemberOutcome,
  type ProtectedValue,
  type UnionOutcome,
} from '@app/unions';
import { smallTree } from './facts.fixtures';

const NATIONAL_ID = '110101199003071234';
const PHONE = '13812345678';

describe('CommandsModule: the command handlers on the read models, through the CommandBus', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let app: INestApplicationContext;
  let bus: CommandBus;
  let runner: ProjectionRunner;
  const tenantId = `tenant-${randomUUID()}`;
  let memberId = '';
  const meta = (actor: string) => ({
    tenantId,
    actor,
    now: new Date('2025-07-15T04:00:00Z'),
    commandId: randomUUID(),
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(store, db.appPool, allProjections());

    // what DatabaseModule and EventStoreModule provide globally in the application
    @Global()
    @Module({
      providers: [
        { provide: APP_POOL, useValue: db.appPool },
        { provide: EVENT_STORE, useValue: store },
      ],
      exports: [APP_POOL, EVENT_STORE],
    })
    class InfrastructureModule {}

    @Module({
      imports: [
        InfrastructureModule,
        CqrsModule.forRoot(),
        CommandsModule.forRoot({ piiMasterKey: randomBytes(32) }),
      ],
    })
    class TestAppModule {}

    app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
    bus = app.get(CommandBus);
    await smallTree(store, tenantId);
    await runner.catchUp();
  });
  afterAll(async () => {
    await app?.close();
    await db.close();
  });

  it('wires one instance of each adapter under the port tokens', () => {
    expect(app.get(MEMBER_FACTS)).toBe(app.get(ReadModelMemberFacts));
    expect(app.get(UNION_FACTS)).toBe(app.get(ReadModelUnionFacts));
    expect(app.get(PERSONAL_DATA_PROTECTOR)).toBe(app.get(PostgresPersonalDataProtector));
    expect(app.get(ActorUnits)).toBeInstanceOf(ActorUnits);
  });

  it('establishes a brigade, applies, approves, and the roster shows the member', async () => {
    app.get(ActorUnits).register(tenantId, 'officer-s1', '/co/s1/');
    const union = await bus.execute<EstablishUnionCommand, UnionOutcome>(
      new EstablishUnionCommand(
        { unionId: 'b9', parentId: 's1', name: 'Ninth brigade', level: 'BRIGADE' },
        meta('officer-s1'),
      ),
    );
    expect(union.state).toMatchObject({ status: 'ACTIVE' });
    await runner.catchUp();

    const applied = await bus.execute<ApplyForMembershipCommand, MemberOutcome>(
      new ApplyForMembershipCommand(
        {
          unionId: 'b9',
          name: '王芳',
          gender: 'FEMALE',
          employeeNo: 'E-9001',
          nationalId: NATIONAL_ID,
          phone: PHONE,
        },
        meta('clerk'),
      ),
    );
    expect(applied.state.status).toBe('APPLIED');
    memberId = applied.memberId;
    await runner.catchUp();

    // someone who is no officer of b9 cannot approve
    await expect(
      bus.execute(new ApproveMembershipCommand({ memberId: applied.memberId }, meta('clerk'))),
    ).rejects.toMatchObject({ code: 'NOT_AUTHORISED_FOR_UNION' });

    const approved = await bus.execute<ApproveMembershipCommand, MemberOutcome>(
      new ApproveMembershipCommand({ memberId: applied.memberId }, meta('officer-s1')),
    );
    expect(approved.state.status).toBe('ACTIVE');
    await runner.catchUp();

    const row = await withTenant(db.appPool, tenantId, async (client) => {
      const { rows } = await client.query<Record<string, unknown>>(
        `SELECT union_id, union_path, status, gender, employee_no, card_number, version
           FROM rm_members WHERE tenant_id = $1 AND member_id = $2`,
        [tenantId, applied.memberId],
      );
      return rows[0];
    });
    expect(row).toEqual({
      union_id: 'b9',
      union_path: '/co/s1/b9/',
      status: 'ACTIVE',
      gender: 'FEMALE',
      employee_no: 'E-9001',
      card_number: 'M00000001',
      version: 2,
    });
  });

  it('keeps only ciphertext in the events, readable through the protector until erased', async () => {
    const { rows } = await db.ownerPool.query<{ data: string }>(
      `SELECT data::text AS data FROM events WHERE tenant_id = $1`,
      [tenantId],
    );
    const all = rows.map((r) => r.data).join('\n');
    expect(all).toContain('E-9001');
    expect(all).not.toContain(NATIONAL_ID);
    expect(all).not.toContain(PHONE);

    const applied = await store.readStream(tenantId, memberStreamId(memberId));
    const data = applied.events[0]!.data as { nationalId: ProtectedValue; phone: ProtectedValue };
    const protector = app.get(PostgresPersonalDataProtector);
    expect(await protector.reveal(tenantId, data.nationalId)).toBe(NATIONAL_ID);
    await protector.erase(tenantId, memberId);
    await expect(protector.reveal(tenantId, data.phone)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_ERASED',
    });
  });
});
