import { NestFactory } from '@nestjs/core';
import { Module } from '@nestjs/common';
import { CommandBus, CqrsModule } from '@nestjs/cqrs';
import { EVENT_STORE, PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import { memberStreamId } from '../member.decider';
import type { MemberEvent } from '../member.events';
import {
  ApplyForMembershipCommand,
  ApplyForMembershipHandler,
} from './apply-for-membership.handler';
import { ApproveMembershipCommand, ApproveMembershipHandler } from './approve-membership.handler';
import { cardNumberStreamId } from './card-numbers';
import {
  CorrectDuesPaymentCommand,
  CorrectDuesPaymentHandler,
} from './correct-dues-payment.handler';
import {
  DeclareAutomaticWithdrawalCommand,
  DeclareAutomaticWithdrawalHandler,
} from './declare-automatic-withdrawal.handler';
import { ExpelMemberCommand, ExpelMemberHandler } from './expel-member.handler';
import { ImportMemberCommand, ImportMemberHandler } from './import-member.handler';
import { MEMBER_FACTS } from './member-facts.port';
import { MembershipModule } from './membership.module';
import { PERSONAL_DATA_PROTECTOR } from './personal-data.port';
import { RecordAbsenceCommand, RecordAbsenceHandler } from './record-absence.handler';
import {
  RecordArrearsEducationCommand,
  RecordArrearsEducationHandler,
} from './record-arrears-education.handler';
import { RecordDuesPaymentCommand, RecordDuesPaymentHandler } from './record-dues-payment.handler';
import { tenantSettingsStreamId } from '../../tenant-settings/tenant-settings.decider';
import { RejectMembershipCommand, RejectMembershipHandler } from './reject-membership.handler';
import { RetainMembershipCommand, RetainMembershipHandler } from './retain-membership.handler';
import {
  StartInternalRetirementCommand,
  StartInternalRetirementHandler,
} from './start-internal-retirement.handler';
import { WithdrawMemberCommand, WithdrawMemberHandler } from './withdraw-member.handler';
import {
  domainError,
  handlerWorld,
  tenantEvents,
  type HandlerWorld,
} from './testing/handler-fixtures';

const NATIONAL_ID = '110101199003077777';
const PHONE = '13800138000';

describe('membership command handlers (real PostgreSQL event store)', () => {
  let db: TestDatabase;
  let pg: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  function handlers(w: HandlerWorld) {
    const { store, facts, protector } = w;
    return {
      apply: new ApplyForMembershipHandler(store, facts, protector),
      approve: new ApproveMembershipHandler(store, facts),
      reject: new RejectMembershipHandler(store, facts),
      importMember: new ImportMemberHandler(store, facts, protector),
      pay: new RecordDuesPaymentHandler(store, facts),
      correct: new CorrectDuesPaymentHandler(store, facts),
      absence: new RecordAbsenceHandler(store, facts),
      withdraw: new WithdrawMemberHandler(store, facts),
      educate: new RecordArrearsEducationHandler(store, facts),
      declare: new DeclareAutomaticWithdrawalHandler(store, facts),
      expel: new ExpelMemberHandler(store, facts),
      retire: new StartInternalRetirementHandler(store, facts),
      retain: new RetainMembershipHandler(store, facts),
    };
  }

  const application = (over: Partial<ApplyForMembershipCommand['input']> = {}) => ({
    unionId: 'T1',
    name: '王芳',
    gender: 'FEMALE' as const,
    employeeNo: 'E-1001',
    nationalId: NATIONAL_ID,
    phone: PHONE,
    appliedOn: '2025-01-02',
    ...over,
  });

  async function activeMember(w: HandlerWorld, employeeNo = 'E-1001'): Promise<string> {
    const h = handlers(w);
    const { memberId } = await h.apply.execute(
      new ApplyForMembershipCommand(application({ employeeNo }), w.meta('clerk')),
    );
    await h.approve.execute(
      new ApproveMembershipCommand({ memberId, decidedOn: '2025-01-06' }, w.meta('officer-t1')),
    );
    return memberId;
  }

  it('apply → approve (generated card) → pay → withdraw: the events are in the store', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const applied = await h.apply.execute(
      new ApplyForMembershipCommand(application(), w.meta('clerk', 'apply-1')),
    );
    expect(applied).toMatchObject({ duplicate: false, version: 1, state: { status: 'APPLIED' } });
    const memberId = applied.memberId;

    const approved = await h.approve.execute(
      new ApproveMembershipCommand(
        { memberId, decidedOn: '2025-01-06' },
        w.meta('officer-t1', 'approve-1'),
      ),
    );
    expect(approved.state).toMatchObject({
      status: 'ACTIVE',
      unionId: 'T1',
      cardNumber: 'M00000001',
      joinedOn: '2025-01-06',
    });
    const paid = await h.pay.execute(
      new RecordDuesPaymentCommand(
        { memberId, period: '2025-06', wageBaseFen: 567_890, paidOn: '2025-06-25' },
        w.meta('officer-b1', 'pay-1'),
      ),
    );
    const withdrawn = await h.withdraw.execute(
      new WithdrawMemberCommand(
        { memberId, cardReturned: true, decidedOn: '2025-07-10' },
        w.meta('officer-t1', 'withdraw-1'),
      ),
    );
    expect(withdrawn).toMatchObject({ version: 4, state: { status: 'WITHDRAWN' } });

    const stream = await pg.readStream<MemberEvent>(w.tenantId, memberStreamId(memberId));
    expect(stream.events.map((e) => [e.type, e.metadata.actor, e.metadata.commandId])).toEqual([
      ['MembershipApplied', 'clerk', 'apply-1'],
      ['MembershipApproved', 'officer-t1', 'approve-1'],
      ['DuesPaid', 'officer-b1', 'pay-1'],
      ['MemberWithdrew', 'officer-t1', 'withdraw-1'],
    ]);
    expect(stream.events.map((e) => e.globalPosition)).toEqual([
      applied.position,
      approved.position,
      paid.position,
      withdrawn.position,
    ]);
    expect(stream.events[2]?.data).toMatchObject({
      period: '2025-06',
      expectedFen: 2835,
      amountFen: 2835,
      source: 'PAYMENT',
    });
    expect(stream.events[3]?.data).toMatchObject({ withdrawnOn: '2025-07-10', cardReturned: true });

    // The card number is reserved in the same transaction as the approval.
    const card = await pg.readStream(w.tenantId, cardNumberStreamId('M00000001'));
    expect(card.events.map((e) => [e.type, e.data, e.transactionId])).toEqual([
      [
        'CardNumberReserved',
        { cardNumber: 'M00000001', memberId, generated: true },
        stream.events[1]?.transactionId,
      ],
    ]);
  });

  it('keeps personal data encrypted: never in the events, readable only with the key', async () => {
    const w = handlerWorld(pg);
    const memberId = await activeMember(w);
    const stored = JSON.stringify(await tenantEvents(pg, w.tenantId));
    expect(stored).not.toContain(NATIONAL_ID);
    expect(stored).not.toContain(PHONE);
    const { events } = await pg.readStream<MemberEvent>(w.tenantId, memberStreamId(memberId));
    const first = events[0];
    if (first?.type !== 'MembershipApplied') throw new Error('expected the application first');
    const data = first.data as Extract<MemberEvent, { type: 'MembershipApplied' }>['data'];
    if (data.nationalId === null) throw new Error('expected an encrypted national id');
    expect(w.protector.reveal(data.nationalId)).toBe(NATIONAL_ID);
    // Ethnicity, religion, position or education never reach the record, even if sent.
    expect(Object.keys(data).sort()).toEqual(
      [
        'appliedOn',
        'employeeNo',
        'gender',
        'memberId',
        'name',
        'nationalId',
        'phone',
        'unionId',
      ].sort(),
    );
  });

  it('a repeated command id returns the first result and appends nothing', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const apply = () =>
      h.apply.execute(new ApplyForMembershipCommand(application(), w.meta('clerk', 'apply-x')));
    const first = await apply();
    const again = await apply();
    expect(again).toMatchObject({
      memberId: first.memberId,
      position: first.position,
      duplicate: true,
    });

    const approve = () =>
      h.approve.execute(
        new ApproveMembershipCommand(
          { memberId: first.memberId, decidedOn: '2025-01-06' },
          w.meta('officer-t1', 'approve-x'),
        ),
      );
    const approved = await approve();
    const pay = () =>
      h.pay.execute(
        new RecordDuesPaymentCommand(
          { memberId: first.memberId, period: '2025-05', wageBaseFen: 400_000 },
          w.meta('officer-t1', 'pay-x'),
        ),
      );
    const paid = await pay();
    const before = (await tenantEvents(pg, w.tenantId)).length;
    expect(await approve()).toMatchObject({ position: approved.position, duplicate: true });
    expect(await pay()).toMatchObject({ position: paid.position, duplicate: true });
    expect(await tenantEvents(pg, w.tenantId)).toHaveLength(before);
    expect(before).toBe(4); // applied, approved + card reservation, paid
  });

  it('a rule violation surfaces as the DomainError with its code and article, writing nothing', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const atFactory = await domainError(
      h.apply.execute(
        new ApplyForMembershipCommand(application({ unionId: 'F1' }), w.meta('clerk')),
      ),
    );
    expect([atFactory.code, atFactory.article?.en]).toEqual([
      'NOT_A_GRASSROOTS_UNION',
      'Art. 19(2)',
    ]);
    expect(atFactory.localised('zh')).toContain('第十九条第（二）项');
    expect(JSON.stringify(atFactory)).not.toContain(NATIONAL_ID);
    expect(atFactory.message).not.toContain(NATIONAL_ID);
    const unknown = await domainError(
      h.apply.execute(
        new ApplyForMembershipCommand(application({ unionId: 'nowhere' }), w.meta('clerk')),
      ),
    );
    expect(unknown).toMatchObject({ code: 'UNION_NOT_FOUND', kind: 'NOT_FOUND' });
    expect(await tenantEvents(pg, w.tenantId)).toHaveLength(0);

    const memberId = await activeMember(w);
    const count = (await tenantEvents(pg, w.tenantId)).length;
    const outsider = await domainError(
      h.withdraw.execute(
        new WithdrawMemberCommand({ memberId, cardReturned: true }, w.meta('officer-f2')),
      ),
    );
    expect([outsider.code, outsider.article?.en]).toEqual([
      'NOT_AUTHORISED_FOR_UNION',
      'Art. 19(4)',
    ]);
    await h.withdraw.execute(
      new WithdrawMemberCommand({ memberId, cardReturned: false }, w.meta('hq')),
    );
    const ended = await domainError(
      h.pay.execute(
        new RecordDuesPaymentCommand(
          { memberId, period: '2025-06', wageBaseFen: 500_000 },
          w.meta('officer-t1'),
        ),
      ),
    );
    expect([ended.code, ended.article?.en]).toEqual(['MEMBERSHIP_ENDED', 'Art. 19']);
    expect(await tenantEvents(pg, w.tenantId)).toHaveLength(count + 1);
  });

  it('an employee number of a current membership cannot be used twice; after it ends it can', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await activeMember(w, 'E-7');
    const taken = await domainError(
      h.apply.execute(
        new ApplyForMembershipCommand(application({ employeeNo: ' E-7 ' }), w.meta('clerk')),
      ),
    );
    expect(taken.code).toBe('EMPLOYEE_NUMBER_IN_USE');
    await h.withdraw.execute(
      new WithdrawMemberCommand({ memberId, cardReturned: true }, w.meta('officer-t1')),
    );
    const again = await h.apply.execute(
      new ApplyForMembershipCommand(application({ employeeNo: 'E-7' }), w.meta('clerk')),
    );
    expect(again.state.status).toBe('APPLIED');
  });

  it('card numbers: given ones are unique, generated ones stay unique while the read model lags', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const apply = async (employeeNo: string) =>
      (
        await h.apply.execute(
          new ApplyForMembershipCommand(application({ employeeNo }), w.meta('clerk')),
        )
      ).memberId;
    const [a, b, c, d] = [
      await apply('E-1'),
      await apply('E-2'),
      await apply('E-3'),
      await apply('E-4'),
    ];
    const approve = (memberId: string, cardNumber?: string) =>
      h.approve.execute(
        new ApproveMembershipCommand(
          { memberId, cardNumber, decidedOn: '2025-01-06' },
          w.meta('officer-t1'),
        ),
      );
    await approve(a, 'c-0042');
    const clash = await domainError(approve(b, 'C-0042'));
    expect([clash.code, clash.article?.en]).toEqual(['CARD_NUMBER_IN_USE', 'Art. 19(2)']);
    expect((await pg.readStream(w.tenantId, memberStreamId(b))).currentVersion).toBe(1);

    w.facts.frozen = true; // the read model still says no card was ever generated
    const [first, second] = await Promise.all([approve(b), approve(c)]);
    const numbers = [first.state, second.state].map((s) =>
      s.status === 'ACTIVE' ? s.cardNumber : '',
    );
    expect(numbers.sort()).toEqual(['M00000001', 'M00000002']);
    const third = await approve(d);
    expect(third.state).toMatchObject({ cardNumber: 'M00000003' });
  });

  it('a reject ends the application; an unauthorised approval generates no card number', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const { memberId } = await h.apply.execute(
      new ApplyForMembershipCommand(application(), w.meta('clerk')),
    );
    const outsider = await domainError(
      h.approve.execute(new ApproveMembershipCommand({ memberId }, w.meta('officer-b3'))),
    );
    expect(outsider.code).toBe('NOT_AUTHORISED_FOR_UNION');
    expect(w.facts.calls.get('lastGeneratedCardSequence')).toBeUndefined();
    const rejected = await h.reject.execute(
      new RejectMembershipCommand({ memberId, note: '材料不全' }, w.meta('officer-b1')),
    );
    expect(rejected.state).toMatchObject({ status: 'REJECTED', endedOn: '2025-07-15' });
  });

  it('Art. 19(4): arrears withdrawal only after education, and only while the arrears stand', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const imported = await h.importMember.execute(
      new ImportMemberCommand(
        {
          unionId: 'T1',
          name: '李强',
          gender: 'MALE',
          employeeNo: 'E-900',
          joinedOn: '2019-03-01',
          cardNumber: 'OLD-900',
          duesPaidThrough: '2024-12',
          importedOn: '2025-01-10',
        },
        w.meta('officer-b1'),
      ),
    );
    const { memberId } = imported;
    expect(imported.state).toMatchObject({ status: 'ACTIVE', cardNumber: 'OLD-900' });
    const early = await domainError(
      h.declare.execute(new DeclareAutomaticWithdrawalCommand({ memberId }, w.meta('officer-t1'))),
    );
    expect([early.code, early.article?.en]).toEqual(['ARREARS_EDUCATION_REQUIRED', 'Art. 19(4)']);
    // On 2025-07-01 the months 2025-01..2025-06 are unpaid: six, a candidate.
    const educated = await h.educate.execute(
      new RecordArrearsEducationCommand(
        { memberId, decidedOn: '2025-07-01', note: '谈心谈话' },
        w.meta('officer-t1'),
      ),
    );
    const { events } = await pg.readStream<MemberEvent>(w.tenantId, memberStreamId(memberId));
    expect(events.at(-1)?.data).toMatchObject({ unpaidMonths: 6, unpaidSince: '2025-01' });
    expect(educated.state.status).toBe('ACTIVE');
    const declared = await h.declare.execute(
      new DeclareAutomaticWithdrawalCommand(
        { memberId, decidedOn: '2025-07-15' },
        w.meta('officer-t1'),
      ),
    );
    expect(declared.state).toMatchObject({ status: 'WITHDRAWN', endedOn: '2025-07-15' });
  });

  it('Art. 19(5)(6): expulsion is filed with the parent; internal retirement makes dues exempt; retained members pay nothing', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const expelled = await activeMember(w, 'E-1');
    const noSanction = await domainError(
      h.expel.execute(
        new ExpelMemberCommand(
          { memberId: expelled, criminalSanctionRef: ' ', committeeDecisionRef: 'CD-1' },
          w.meta('officer-t1'),
        ),
      ),
    );
    expect([noSanction.code, noSanction.article?.en]).toEqual([
      'CRIMINAL_SANCTION_REQUIRED',
      'Art. 19(5)',
    ]);
    await h.expel.execute(
      new ExpelMemberCommand(
        {
          memberId: expelled,
          criminalSanctionRef: '(2025)刑初1号',
          committeeDecisionRef: 'CD-1',
        },
        w.meta('officer-t1'),
      ),
    );
    const { events } = await pg.readStream<MemberEvent>(w.tenantId, memberStreamId(expelled));
    expect(events.at(-1)).toMatchObject({
      type: 'MemberExpelled',
      data: { unionId: 'T1', filedWithUnionId: 'B1' },
    });

    const retiree = await activeMember(w, 'E-2');
    await h.retire.execute(
      new StartInternalRetirementCommand(
        { memberId: retiree, decidedOn: '2025-05-01' },
        w.meta('officer-t1'),
      ),
    );
    const exempt = await domainError(
      h.pay.execute(
        new RecordDuesPaymentCommand(
          { memberId: retiree, period: '2025-06', wageBaseFen: 500_000 },
          w.meta('officer-t1'),
        ),
      ),
    );
    expect(exempt.code).toBe('DUES_EXEMPT');
    const april = await h.pay.execute(
      new RecordDuesPaymentCommand(
        { memberId: retiree, period: '2025-04', wageBaseFen: 500_000 },
        w.meta('officer-t1'),
      ),
    );
    expect(april.duplicate).toBe(false);

    const leaver = await activeMember(w, 'E-3');
    const retained = await h.retain.execute(
      new RetainMembershipCommand(
        { memberId: leaver, reason: 'LEAVING', decidedOn: '2025-06-30' },
        w.meta('officer-t1'),
      ),
    );
    expect(retained.state.status).toBe('RETAINED');
  });

  it('dues: a period paid twice is refused, a correction re-records it; absence is not a transfer', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await activeMember(w);
    const pay = { memberId, period: '2025-03', wageBaseFen: 345_999 };
    await h.pay.execute(new RecordDuesPaymentCommand(pay, w.meta('officer-t1')));
    const twice = await domainError(
      h.pay.execute(new RecordDuesPaymentCommand(pay, w.meta('officer-t1'))),
    );
    expect(twice.code).toBe('DUES_ALREADY_PAID');
    const mismatch = await domainError(
      h.correct.execute(
        new CorrectDuesPaymentCommand(
          { ...pay, wageBaseFen: 400_000, amountFen: 1, reason: '工资基数有误' },
          w.meta('officer-t1'),
        ),
      ),
    );
    expect(mismatch.code).toBe('DUES_AMOUNT_MISMATCH');
    const corrected = await h.correct.execute(
      new CorrectDuesPaymentCommand(
        { ...pay, wageBaseFen: 400_000, reason: '工资基数有误' },
        w.meta('officer-t1'),
      ),
    );
    expect(corrected.state).toMatchObject({ dues: { paid: { '2025-03': 2000 } } });
    const away = await h.absence.execute(
      new RecordAbsenceCommand(
        { memberId, reason: 'STUDY', from: '2025-09-01', until: '2026-01-31' },
        w.meta('officer-t1'),
      ),
    );
    expect(away.state).toMatchObject({
      status: 'ACTIVE',
      unionId: 'T1',
      absence: { reason: 'STUDY' },
    });
  });

  it('a payment reads the member and the tenant rules in one read, and pays by the rules it read', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await activeMember(w);
    const pay = (period: string) =>
      h.pay.execute(
        new RecordDuesPaymentCommand(
          { memberId, period, wageBaseFen: 400_000, paidOn: `${period}-15` },
          w.meta('officer-t1'),
        ),
      );
    w.store.reset();
    const before = await pay('2025-03');
    expect(before.state).toMatchObject({ dues: { paid: { '2025-03': 2000 } } }); // 0.5 %
    expect([
      w.store.readStreamsCalls,
      w.store.readStreamCalls,
      w.store.appendToStreamCalls,
    ]).toEqual([1, 0, 1]);
    // the tenant doubles the rate from April on: a payment made then is judged by the new rule
    await pg.appendToStream(w.tenantId, tenantSettingsStreamId(w.tenantId), [
      {
        type: 'TenantSettingsProvisioned',
        data: {
          tenantId: w.tenantId,
          preset: 'ENTERPRISE_REGULATION',
          provisionedOn: '2025-01-01',
        },
      },
      {
        type: 'RuleSettingsChanged',
        data: {
          effectiveOn: '2025-04-01',
          overrides: { duesRateBasisPoints: 100 },
          reason: 'test',
          decidedOn: '2025-03-20',
        },
      },
    ]);
    const after = await pay('2025-04');
    expect(after.state).toMatchObject({ dues: { paid: { '2025-03': 2000, '2025-04': 4000 } } });
  });

  it('a concurrent write between read and append is re-judged once on the newer state', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await activeMember(w);
    let injected = 0;
    w.store.beforeAppend = async () => {
      if (injected++ > 0) return;
      await h.absence.execute(
        new RecordAbsenceCommand(
          { memberId, reason: 'MEETING', from: '2025-07-20', until: null },
          w.meta('officer-t1'),
        ),
      );
    };
    const paid = await h.pay.execute(
      new RecordDuesPaymentCommand(
        { memberId, period: '2025-07', wageBaseFen: 500_000 },
        w.meta('officer-t1'),
      ),
    );
    w.store.beforeAppend = null;
    expect(paid).toMatchObject({ version: 4, duplicate: false });
    const { events } = await pg.readStream(w.tenantId, memberStreamId(memberId));
    expect(events.map((e) => e.type)).toEqual([
      'MembershipApplied',
      'MembershipApproved',
      'AbsenceRecorded',
      'DuesPaid',
    ]);
  });

  it('runs through the CommandBus with MembershipModule', async () => {
    const w = handlerWorld(pg);
    @Module({
      imports: [
        CqrsModule.forRoot(),
        MembershipModule.forRoot({
          providers: [
            { provide: EVENT_STORE, useValue: w.store },
            { provide: MEMBER_FACTS, useValue: w.facts },
            { provide: PERSONAL_DATA_PROTECTOR, useValue: w.protector },
          ],
        }),
      ],
    })
    class TestAppModule {}
    const app = await NestFactory.createApplicationContext(TestAppModule, { logger: false });
    try {
      const bus = app.get(CommandBus);
      const outcome = await bus.execute(
        new ApplyForMembershipCommand(application(), w.meta('clerk')),
      );
      expect(outcome.state.status).toBe('APPLIED');
      expect(
        (await pg.readStream(w.tenantId, memberStreamId(outcome.memberId))).currentVersion,
      ).toBe(1);
    } finally {
      await app.close();
    }
  });
});
