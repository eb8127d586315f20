import type { RecordedEvent } from '@app/core';
import { PostgresEventStore, type StreamAppend } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  RecordAbsenceCommand,
  RecordAbsenceHandler,
} from '../../member/handlers/record-absence.handler';
import {
  RecordDuesPaymentCommand,
  RecordDuesPaymentHandler,
} from '../../member/handlers/record-dues-payment.handler';
import {
  domainError,
  handlerWorld,
  tenantEvents,
  type HandlerWorld,
} from '../../member/handlers/testing/handler-fixtures';
import { memberStreamId } from '../../member/member.decider';
import type { MemberEvent } from '../../member/member.events';
import type { DuesPayrollRow } from '../dues-payroll.commands';
import { duesPayrollStreamId } from '../dues-payroll.decider';
import { expectedDuesFen, NATIONAL_DUES_RULES } from '../dues.rules';
import {
  ImportDuesPayrollCommand,
  ImportDuesPayrollHandler,
  PAYROLL_BATCH_SIZE,
} from './import-dues-payroll.handler';

const PERIOD = '2025-06';
const id = (n: number) => `m-${String(n).padStart(5, '0')}`;
const wageOf = (n: number) => 500_000 + n * 10;

function imported(
  memberId: string,
  unionId: string,
  over: Partial<Extract<MemberEvent, { type: 'MemberImported' }>['data']> = {},
): MemberEvent {
  return {
    type: 'MemberImported',
    data: {
      memberId,
      unionId,
      name: '职工',
      gender: 'FEMALE',
      employeeNo: memberId,
      nationalId: null,
      phone: null,
      joinedOn: '2024-03-01',
      cardNumber: `S-${memberId}`,
      cardNumberGenerated: false,
      status: 'ACTIVE',
      duesExempt: false,
      duesLiableFrom: '2025-01',
      importedOn: '2025-01-10',
      ...over,
    },
  };
}

/** Seeds member streams straight into the store, 500 streams per append. */
async function seed(pg: PostgresEventStore, w: HandlerWorld, streams: StreamAppend[]) {
  for (let i = 0; i < streams.length; i += 500) {
    await pg.appendToStreams(w.tenantId, streams.slice(i, i + 500), {
      metadata: { actor: 'seed' },
    });
  }
  await w.facts.catchUp();
}

const good = (count: number, unionId = 'T1'): StreamAppend[] =>
  Array.from({ length: count }, (_, n) => ({
    streamId: memberStreamId(id(n)),
    events: [imported(id(n), unionId)],
    expectedVersion: 'no_stream' as const,
  }));

const byType = (events: RecordedEvent[], type: string) => events.filter((e) => e.type === type);

describe('ImportDuesPayroll (real PostgreSQL event store)', () => {
  let db: TestDatabase;
  let pg: PostgresEventStore;

  beforeAll(async () => {
    db = await createTestDatabase();
    pg = new PostgresEventStore(db.appPool);
  });
  afterAll(() => db.close());

  it('1,200 good rows in 3 batches, bad rows reported by number and reason, reruns append nothing', async () => {
    const w = handlerWorld(pg);
    await seed(pg, w, [
      ...good(1200),
      { streamId: memberStreamId('m-bad'), events: [imported('m-bad', 'T1')] },
      { streamId: memberStreamId('m-neg'), events: [imported('m-neg', 'T1')] },
      { streamId: memberStreamId('m-f2'), events: [imported('m-f2', 'B3')] },
      {
        streamId: memberStreamId('m-exempt'),
        events: [imported('m-exempt', 'T1', { duesExempt: true })],
      },
      {
        streamId: memberStreamId('m-ended'),
        events: [
          imported('m-ended', 'T1'),
          {
            type: 'MemberWithdrew',
            data: {
              memberId: 'm-ended',
              unionId: 'T1',
              withdrawnOn: '2025-03-01',
              cardReturned: true,
              note: null,
            },
          },
        ],
      },
    ]);
    const rows: DuesPayrollRow[] = Array.from({ length: 1200 }, (_, n) => ({
      memberId: id(n),
      wageBaseFen: wageOf(n),
    }));
    rows.splice(
      10,
      0,
      { memberId: 'ghost', wageBaseFen: 500_000 }, // row 11
      { memberId: id(0), wageBaseFen: 500_000 }, // row 12
      { memberId: 'm-f2', wageBaseFen: 500_000 }, // row 13
    );
    rows.push(
      { memberId: 'm-exempt', wageBaseFen: 500_000 }, // row 1204
      { memberId: 'm-ended', wageBaseFen: 500_000 }, // row 1205
      { memberId: 'm-bad', wageBaseFen: 567_890, amountFen: 2836 }, // row 1206
      { memberId: 'm-neg', wageBaseFen: -1 }, // row 1207
      { memberId: '', wageBaseFen: 500_000 }, // row 1208
    );
    const handler = new ImportDuesPayrollHandler(w.store, w.facts);
    const input = { unionId: 'B1', period: PERIOD, paidOn: '2025-06-25', rows };
    w.store.reset();
    const outcome = await handler.execute(
      new ImportDuesPayrollCommand(input, w.meta('officer-b1', 'payroll-2025-06')),
    );

    const totalFen = Array.from({ length: 1200 }, (_, n) =>
      expectedDuesFen(wageOf(n), NATIONAL_DUES_RULES),
    ).reduce((a, b) => a + b, 0);
    expect(outcome).toMatchObject({
      duplicate: false,
      rows: 1208,
      accepted: 1200,
      rejected: 8,
      totalFen,
      batches: 3,
    });
    expect(outcome.rejectedRows.map((r) => [r.rowNumber, r.memberId, r.reason])).toEqual([
      [11, 'ghost', 'UNKNOWN_MEMBER'],
      [12, id(0), 'DUPLICATE_ROW'],
      [13, 'm-f2', 'WRONG_UNION_SUBTREE'],
      [1204, 'm-exempt', 'DUES_EXEMPT'],
      [1205, 'm-ended', 'MEMBERSHIP_ENDED'],
      [1206, 'm-bad', 'DUES_AMOUNT_MISMATCH'],
      [1207, 'm-neg', 'INVALID_WAGE_BASE'],
      [1208, null, 'UNKNOWN_MEMBER'],
    ]);
    expect(outcome.rejectedRows[5]?.message.zh).toContain('2835');
    // One set-based read of the members, one round trip per batch, nothing stream by stream.
    expect(w.facts.calls.get('payrollMembers')).toBe(1);
    expect([w.store.appendToStreamsCalls, w.store.appendToStreamCalls]).toEqual([3, 0]);

    const events = await tenantEvents(pg, w.tenantId);
    const paid = byType(events, 'DuesPaid');
    expect(paid).toHaveLength(1200);
    const batches = [...new Set(paid.map((e) => e.transactionId))];
    expect(batches.map((tx) => paid.filter((e) => e.transactionId === tx).length)).toEqual([
      PAYROLL_BATCH_SIZE,
      PAYROLL_BATCH_SIZE,
      200,
    ]);
    expect(paid.every((e) => e.streamVersion === 2 && e.metadata.actor === 'officer-b1')).toBe(
      true,
    );
    expect(paid[0]).toMatchObject({
      streamId: memberStreamId(id(0)),
      data: {
        unionId: 'T1',
        period: PERIOD,
        amountFen: 2500,
        source: 'PAYROLL',
        paidOn: '2025-06-25',
      },
      metadata: { commandId: 'payroll-2025-06' },
    });
    const [summary] = byType(events, 'DuesPayrollImported');
    expect(summary).toMatchObject({
      streamId: duesPayrollStreamId('B1', PERIOD),
      data: { rows: 1208, accepted: 1200, rejected: 8, totalFen },
      transactionId: batches[2],
      globalPosition: outcome.position,
    });

    // The same command id again: the first result, nothing appended.
    w.store.reset();
    const again = await handler.execute(
      new ImportDuesPayrollCommand(input, w.meta('officer-b1', 'payroll-2025-06')),
    );
    expect(again).toMatchObject({
      duplicate: true,
      position: outcome.position,
      accepted: 1200,
      rejected: 8,
      totalFen,
    });
    // The same payroll under a new command id: every row is already paid, nothing appended.
    const rerun = await handler.execute(
      new ImportDuesPayrollCommand(input, w.meta('officer-b1', 'payroll-2025-06-bis')),
    );
    expect(rerun).toMatchObject({ duplicate: false, position: null, accepted: 0, batches: 0 });
    expect(rerun.rejectedRows.filter((r) => r.reason === 'DUES_ALREADY_PAID')).toHaveLength(1200);
    expect([w.store.appendToStreamsCalls, w.store.appendToStreamCalls]).toEqual([0, 0]);
    expect(await tenantEvents(pg, w.tenantId)).toHaveLength(events.length);
  });

  it('a batch that meets a concurrent write is re-read from the member streams and retried once', async () => {
    const w = handlerWorld(pg);
    await seed(pg, w, good(1100));
    w.facts.frozen = true; // the read model lags behind the two writes below
    await new RecordDuesPaymentHandler(w.store, w.facts).execute(
      new RecordDuesPaymentCommand(
        { memberId: id(3), period: PERIOD, wageBaseFen: wageOf(3) },
        w.meta('officer-t1'),
      ),
    );
    await new RecordAbsenceHandler(w.store, w.facts).execute(
      new RecordAbsenceCommand(
        { memberId: id(700), reason: 'STUDY', from: '2025-07-01', until: null },
        w.meta('officer-t1'),
      ),
    );
    const rows = Array.from({ length: 1100 }, (_, n) => ({
      memberId: id(n),
      wageBaseFen: wageOf(n),
    }));
    w.store.reset();
    const outcome = await new ImportDuesPayrollHandler(w.store, w.facts).execute(
      new ImportDuesPayrollCommand(
        { unionId: 'T1', period: PERIOD, paidOn: '2025-06-25', rows },
        w.meta('officer-t1'),
      ),
    );
    expect(outcome).toMatchObject({ accepted: 1099, rejected: 1, batches: 3 });
    expect(outcome.rejectedRows.map((r) => [r.rowNumber, r.reason])).toEqual([
      [4, 'DUES_ALREADY_PAID'],
    ]);
    // Batches 1 and 2 each failed once on a stale version, then went through.
    expect(w.store.appendToStreamsCalls).toBe(5);
    const moved = await pg.readStream(w.tenantId, memberStreamId(id(700)));
    expect(moved.events.map((e) => e.type)).toEqual([
      'MemberImported',
      'AbsenceRecorded',
      'DuesPaid',
    ]);
    const summary = await pg.readStream(w.tenantId, duesPayrollStreamId('T1', PERIOD));
    expect(summary.events[0]?.data).toMatchObject({ rows: 1100, accepted: 1099, rejected: 1 });
  });

  it('refuses an officer of another union as a whole, writing nothing', async () => {
    const w = handlerWorld(pg);
    await seed(pg, w, good(3));
    const error = await domainError(
      new ImportDuesPayrollHandler(w.store, w.facts).execute(
        new ImportDuesPayrollCommand(
          { unionId: 'T1', period: PERIOD, rows: [{ memberId: id(0), wageBaseFen: 500_000 }] },
          w.meta('officer-b3'),
        ),
      ),
    );
    expect([error.code, error.article?.en]).toEqual(['NOT_AUTHORISED_FOR_DUES', 'Art. 19']);
    const future = await domainError(
      new ImportDuesPayrollHandler(w.store, w.facts).execute(
        new ImportDuesPayrollCommand(
          { unionId: 'T1', period: '2025-08', rows: [{ memberId: id(0), wageBaseFen: 500_000 }] },
          w.meta('officer-t1'),
        ),
      ),
    );
    expect(future.code).toBe('PERIOD_IN_FUTURE');
    expect(w.facts.calls.get('payrollMembers')).toBe(1);
    await new RecordDuesPaymentHandler(w.store, w.facts).execute(
      new RecordDuesPaymentCommand(
        { memberId: id(1), period: '2025-05', wageBaseFen: 500_000 },
        w.meta('officer-t1', 'used-before'),
      ),
    );
    const reused = new ImportDuesPayrollHandler(w.store, w.facts).execute(
      new ImportDuesPayrollCommand(
        { unionId: 'T1', period: PERIOD, rows: [{ memberId: id(0), wageBaseFen: 500_000 }] },
        w.meta('officer-t1', 'used-before'),
      ),
    );
    await expect(reused).rejects.toThrow('already used by another command');
    expect(await tenantEvents(pg, w.tenantId)).toHaveLength(4);
  });

  it('10,000 rows with 1% bad rows: counts, reasons and an idempotent rerun', async () => {
    const w = handlerWorld(pg);
    await seed(pg, w, good(9900));
    const rows: DuesPayrollRow[] = Array.from({ length: 10_000 }, (_, n) =>
      n % 100 === 99
        ? { memberId: `unknown-${n}`, wageBaseFen: 500_000 }
        : { memberId: id(n - Math.floor(n / 100)), wageBaseFen: wageOf(n) },
    );
    const handler = new ImportDuesPayrollHandler(w.store, w.facts);
    const input = { unionId: 'C', period: PERIOD, paidOn: '2025-06-30', rows };
    w.store.reset();
    const outcome = await handler.execute(new ImportDuesPayrollCommand(input, w.meta('hq')));
    expect(outcome).toMatchObject({ rows: 10_000, accepted: 9900, rejected: 100, batches: 20 });
    expect(outcome.rejectedRows.every((r) => r.reason === 'UNKNOWN_MEMBER')).toBe(true);
    expect(outcome.rejectedRows.map((r) => r.rowNumber).slice(0, 3)).toEqual([100, 200, 300]);
    expect(w.store.appendToStreamsCalls).toBe(20);
    const rerun = await handler.execute(new ImportDuesPayrollCommand(input, w.meta('hq')));
    expect(rerun).toMatchObject({ accepted: 0, rejected: 10_000, position: null });
    expect(byType(await tenantEvents(pg, w.tenantId), 'DuesPaid')).toHaveLength(9900);
  });
});
