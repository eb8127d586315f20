import { ConcurrencyError, PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  ApplyForMembershipCommand,
  ApplyForMembershipHandler,
} from '../../member/handlers/apply-for-membership.handler';
import {
  ApproveMembershipCommand,
  ApproveMembershipHandler,
} from '../../member/handlers/approve-membership.handler';
import {
  RecordAbsenceCommand,
  RecordAbsenceHandler,
} from '../../member/handlers/record-absence.handler';
import {
  domainError,
  handlerWorld,
  tenantEvents,
  type HandlerWorld,
} from '../../member/handlers/testing/handler-fixtures';
import { memberStreamId } from '../../member/member.decider';
import { transferStreamId } from '../transfer.decider';
import { ReceiveTransferCommand, ReceiveTransferHandler } from './receive-transfer.handler';
import { RejectTransferCommand, RejectTransferHandler } from './reject-transfer.handler';
import { ReleaseTransferCommand, ReleaseTransferHandler } from './release-transfer.handler';
import { RequestTransferCommand, RequestTransferHandler } from './request-transfer.handler';

describe('transfer command handlers (Art. 19(3), real PostgreSQL event store)', () => {
  let db: TestDatabase;
  let pg: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  function handlers(w: HandlerWorld) {
    const { store, facts } = w;
    return {
      request: new RequestTransferHandler(store, facts),
      release: new ReleaseTransferHandler(store, facts),
      receive: new ReceiveTransferHandler(store, facts),
      rejectTransfer: new RejectTransferHandler(store, facts),
      absence: new RecordAbsenceHandler(store, facts),
    };
  }

  /** An ACTIVE member of `unionId` since 2025-01-06. */
  async function member(w: HandlerWorld, unionId = 'T1'): Promise<string> {
    const { memberId } = await new ApplyForMembershipHandler(w.store, w.facts, w.protector).execute(
      new ApplyForMembershipCommand(
        {
          unionId,
          name: '张伟',
          gender: 'MALE',
          employeeNo: `E-${Math.random()}`,
          appliedOn: '2025-01-02',
        },
        w.meta('clerk'),
      ),
    );
    const officer = unionId === 'B3' ? 'officer-b3' : 'officer-b1';
    await new ApproveMembershipHandler(w.store, w.facts).execute(
      new ApproveMembershipCommand({ memberId, decidedOn: '2025-01-06' }, w.meta(officer)),
    );
    return memberId;
  }

  const memberOf = async (w: HandlerWorld, memberId: string) =>
    pg.readStream(w.tenantId, memberStreamId(memberId));

  it('between two secondary units: handled by F1 and F2, transfer and member streams written atomically', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await member(w);
    const requested = await h.request.execute(
      new RequestTransferCommand(
        { memberId, toUnionId: 'B3', requestedOn: '2025-07-01' },
        w.meta('officer-t1', 'req-1'),
      ),
    );
    const { transferId } = requested;
    expect(requested.state).toMatchObject({
      status: 'REQUESTED',
      route: 'BETWEEN_SECONDARY_UNITS',
      sendingHandlerUnionId: 'F1',
      receivingHandlerUnionId: 'F2',
      handledByUnionIds: ['F1', 'F2'],
    });
    const transfer = await pg.readStream(w.tenantId, transferStreamId(transferId));
    const started = (await memberOf(w, memberId)).events.at(-1);
    expect(started).toMatchObject({
      type: 'MemberTransferStarted',
      data: { transferId, fromUnionId: 'T1', toUnionId: 'B3' },
      transactionId: transfer.events[0]?.transactionId,
    });
    expect(transfer.events[0]?.globalPosition).toBe(requested.position);

    // The team's officer does not handle a transfer between secondary units: F1 releases.
    const notHandler = await domainError(
      h.release.execute(new ReleaseTransferCommand({ transferId }, w.meta('officer-t1'))),
    );
    expect([notHandler.code, notHandler.article?.en]).toEqual([
      'NOT_TRANSFER_HANDLER',
      'Art. 19(3)',
    ]);
    const released = await h.release.execute(
      new ReleaseTransferCommand({ transferId, releasedOn: '2025-07-03' }, w.meta('officer-f1')),
    );
    expect(released).toMatchObject({ state: { status: 'RELEASED' }, memberVersion: 3 });
    // Released but not yet received: the member still counts on the sending union.
    expect((await memberOf(w, memberId)).events.map((e) => e.type)).toEqual([
      'MembershipApplied',
      'MembershipApproved',
      'MemberTransferStarted',
    ]);

    const received = await h.receive.execute(
      new ReceiveTransferCommand({ transferId, receivedOn: '2025-07-05' }, w.meta('officer-f2')),
    );
    expect(received).toMatchObject({ state: { status: 'COMPLETED' }, memberVersion: 4 });
    const after = await memberOf(w, memberId);
    const completed = after.events.at(-1);
    expect(completed).toMatchObject({
      type: 'MemberTransferCompleted',
      data: { fromUnionId: 'T1', toUnionId: 'B3', completedOn: '2025-07-05' },
    });
    const transferAfter = await pg.readStream(w.tenantId, transferStreamId(transferId));
    expect(transferAfter.events.map((e) => e.type)).toEqual([
      'TransferRequested',
      'TransferReleased',
      'TransferReceived',
    ]);
    expect(transferAfter.events[2]?.transactionId).toBe(completed?.transactionId);
    await w.facts.catchUp();
    expect(w.facts.memberState(memberId)).toMatchObject({ status: 'ACTIVE', unionId: 'B3' });
  });

  it('within one secondary unit the grassroots unions handle it; the receiving side may reject', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await member(w);
    const { transferId, state } = await h.request.execute(
      new RequestTransferCommand({ memberId, toUnionId: 'B2' }, w.meta('officer-t1')),
    );
    expect(state).toMatchObject({
      route: 'WITHIN_SECONDARY_UNIT',
      handledByUnionIds: ['T1', 'B2'],
    });
    const outsider = await domainError(
      h.rejectTransfer.execute(new RejectTransferCommand({ transferId }, w.meta('officer-b3'))),
    );
    expect(outsider.code).toBe('NOT_TRANSFER_HANDLER');
    // F1 sits above both grassroots unions and so acts for them.
    const rejected = await h.rejectTransfer.execute(
      new RejectTransferCommand({ transferId, note: '岗位未调整' }, w.meta('officer-f1')),
    );
    expect(rejected.state).toMatchObject({ status: 'REJECTED' });
    const events = (await memberOf(w, memberId)).events;
    expect(events.at(-1)).toMatchObject({ type: 'MemberTransferCancelled', data: { transferId } });
    await w.facts.catchUp();
    expect(w.facts.memberState(memberId)).toMatchObject({ unionId: 'T1', openTransfer: null });
  });

  it('to outside the enterprise: the COMPANY union releases and the member is transferred out', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await member(w);
    const { transferId, state } = await h.request.execute(
      new RequestTransferCommand({ memberId, toExternal: '某市总工会' }, w.meta('officer-t1')),
    );
    expect(state).toMatchObject({ route: 'OUTSIDE_ENTERPRISE', handledByUnionIds: ['C'] });
    const notCompany = await domainError(
      h.release.execute(new ReleaseTransferCommand({ transferId }, w.meta('officer-f1'))),
    );
    expect(notCompany.code).toBe('NOT_TRANSFER_HANDLER');
    const released = await h.release.execute(
      new ReleaseTransferCommand({ transferId }, w.meta('hq')),
    );
    expect(released.state.status).toBe('COMPLETED');
    await w.facts.catchUp();
    expect(w.facts.memberState(memberId)).toMatchObject({ status: 'TRANSFERRED_OUT' });
  });

  it('one open transfer at a time, a repeated command id appends nothing, absence is no transfer', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await member(w);
    const request = () =>
      h.request.execute(
        new RequestTransferCommand({ memberId, toUnionId: 'B3' }, w.meta('officer-t1', 'req-once')),
      );
    const first = await request();
    const count = (await tenantEvents(pg, w.tenantId)).length;
    expect(await request()).toMatchObject({
      transferId: first.transferId,
      position: first.position,
      duplicate: true,
    });
    const second = await domainError(
      h.request.execute(
        new RequestTransferCommand({ memberId, toUnionId: 'B2' }, w.meta('officer-t1')),
      ),
    );
    expect([second.code, second.article?.en]).toEqual(['TRANSFER_IN_PROGRESS', 'Art. 19(3)']);
    expect(await tenantEvents(pg, w.tenantId)).toHaveLength(count);

    const other = await member(w);
    const away = await h.absence.execute(
      new RecordAbsenceCommand(
        { memberId: other, reason: 'INSPECTION', from: '2025-07-01', until: '2025-09-30' },
        w.meta('officer-t1'),
      ),
    );
    expect(away.state).toMatchObject({ unionId: 'T1', openTransfer: null });
  });

  it('a failed expected version writes neither stream', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    const memberId = await member(w);
    const absences = new RecordAbsenceHandler(pg, w.facts);
    w.store.reset();
    // A concurrent writer touches the member before each append: the retry loses the race too.
    w.store.beforeAppend = async () => {
      await absences.execute(
        new RecordAbsenceCommand(
          { memberId, reason: 'MEETING', from: '2025-07-20', until: null },
          w.meta('officer-t1'),
        ),
      );
    };
    const error = await h.request
      .execute(
        new RequestTransferCommand(
          { memberId, toUnionId: 'B3', transferId: 'tr-conflict' },
          w.meta('officer-t1'),
        ),
      )
      .then(
        () => null,
        (e: unknown) => e,
      );
    w.store.beforeAppend = null;
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(w.store.appendToStreamsCalls).toBe(2);
    const transfer = await pg.readStream(w.tenantId, transferStreamId('tr-conflict'));
    expect(transfer.streamExists).toBe(false);
    expect((await memberOf(w, memberId)).events.map((e) => e.type)).toEqual([
      'MembershipApplied',
      'MembershipApproved',
      'AbsenceRecorded',
      'AbsenceRecorded',
    ]);

    // One concurrent write only: the request is re-judged on the newer member and goes through.
    let once = 0;
    w.store.beforeAppend = async () => {
      if (once++ > 0) return;
      await absences.execute(
        new RecordAbsenceCommand(
          { memberId, reason: 'STUDY', from: '2025-08-01', until: null },
          w.meta('officer-t1'),
        ),
      );
    };
    const retried = await h.request.execute(
      new RequestTransferCommand({ memberId, toUnionId: 'B3' }, w.meta('officer-t1')),
    );
    w.store.beforeAppend = null;
    expect(retried).toMatchObject({ memberVersion: 6, transferVersion: 1, duplicate: false });
  });

  it('refuses a dissolved receiving union and an unknown one', async () => {
    const w = handlerWorld(pg);
    const h = handlers(w);
    w.facts.addUnion('B4', 'BRIGADE', 'F2', 'DISSOLVED');
    const memberId = await member(w);
    const dissolved = await domainError(
      h.request.execute(
        new RequestTransferCommand({ memberId, toUnionId: 'B4' }, w.meta('officer-t1')),
      ),
    );
    expect(dissolved.code).toBe('RECEIVING_UNION_NOT_ACTIVE');
    const unknown = await domainError(
      h.request.execute(
        new RequestTransferCommand({ memberId, toUnionId: 'B9' }, w.meta('officer-t1')),
      ),
    );
    expect(unknown.code).toBe('UNION_NOT_FOUND');
    const missing = await domainError(
      h.request.execute(
        new RequestTransferCommand({ memberId: 'nobody', toUnionId: 'B3' }, w.meta('officer-t1')),
      ),
    );
    expect(missing.code).toBe('MEMBER_NOT_FOUND');
  });
});
