import { randomBytes, randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import { ConcurrencyError, PostgresEventStore } from '@app/event-store';
import { createTestDatabase, type TestDatabase } from '@app/testing';
import {
  IMPORT_BATCH_SIZE,
  ImportMembersCommand,
  ImportMembersHandler,
  cardNumberStreamId,
  importedMemberId,
  type ImportRowInput,
  type MemberImported,
} from '@app/unions';
import { PostgresPersonalDataProtector } from '../personal-data/personal-data.protector';
import { allProjections } from '../projections';
import { unionAsOf, unionsByIds } from '../queries/union-queries';
import { rosterAsOf } from '../queries/member-queries';
import { ProjectionRunner } from '../runner/projection-runner';
import { ActorUnits } from './actor-units';
import { imported, smallTree } from './facts.fixtures';
import { ReadModelMemberFacts } from './member-facts.adapter';

const NOW = new Date('2025-07-15T04:00:00Z');
const ROWS = 10_000;
const NATIONAL_ID = '110101199003071234';
const KEK = randomBytes(32);

/** A roll of `ROWS` members of t1 joined 2001–2020; every 50th row is bad in one of five ways. */
function roll(prefix: string): { rows: ImportRowInput[]; bad: Map<number, string> } {
  const bad = new Map<number, string>();
  const rows = Array.from({ length: ROWS }, (_, i): ImportRowInput => {
    const n = i + 1;
    const row = {
      employeeNo: `${prefix}${String(n).padStart(6, '0')}`,
      name: `会员${n}`,
      gender: n % 3 === 0 ? 'MALE' : 'FEMALE',
      joinedOn: `${2001 + (n % 20)}-0${1 + (n % 9)}-15`,
      cardNumber: `${prefix}C${n}`,
      nationalId: n % 10 === 0 ? NATIONAL_ID : null,
      phone: n % 7 === 0 ? '13812345678' : null,
      status: n % 97 === 0 ? 'RETAINED' : null,
    };
    if (n % 50 !== 0) return row;
    switch ((n / 50) % 5) {
      case 0:
        bad.set(n, 'MISSING_FIELD');
        return { ...row, name: '' };
      case 1:
        bad.set(n, 'UNKNOWN_GENDER');
        return { ...row, gender: '未知' };
      case 2:
        bad.set(n, 'DATE_IN_FUTURE');
        return { ...row, joinedOn: '2031-01-01' };
      case 3:
        bad.set(n, 'DUPLICATE_IN_FILE');
        return { ...row, employeeNo: `${prefix}${String(n - 1).padStart(6, '0')}` };
      default:
        bad.set(n, 'DUPLICATE_IN_FILE');
        return { ...row, cardNumber: `${prefix}c${n - 1}` };
    }
  });
  return { rows, bad };
}

describe('importMembers on the real store and read models (issue 9)', () => {
  let db: TestDatabase;
  let store: PostgresEventStore;
  let runner: ProjectionRunner;
  let handler: ImportMembersHandler;
  const tenantId = `tenant-${randomUUID()}`;
  const meta = (commandId: string = randomUUID()) => ({
    tenantId,
    actor: 'hq-officer',
    now: NOW,
    commandId,
  });
  const run = (rows: ImportRowInput[], commandId?: string, unionId = 't1') =>
    handler.execute(new ImportMembersCommand({ unionId, rows, channel: 'CLI' }, meta(commandId)));
  const eventCount = async () =>
    withTenant(db.appPool, tenantId, async (c) => {
      const { rows } = await c.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM events WHERE tenant_id = $1',
        [tenantId],
      );
      return rows[0]?.n ?? -1;
    });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(store, db.appPool, allProjections());
    const actors = new ActorUnits();
    actors.register(tenantId, 'hq-officer', '/');
    const protector = new PostgresPersonalDataProtector(db.appPool, KEK);
    handler = new ImportMembersHandler(
      store,
      new ReadModelMemberFacts(db.appPool, actors, 1_000),
      protector,
    );
    await smallTree(store, tenantId);
    // an existing member of b1 holds card X-1 and employee number X-E1
    await store.appendToStream(tenantId, 'member-old', [
      imported('old', 'b1', { cardNumber: 'X-1' }),
    ]);
    await store.appendToStream(tenantId, cardNumberStreamId('X-1'), [
      {
        type: 'CardNumberReserved',
        data: { cardNumber: 'X-1', memberId: 'old', generated: false },
      },
    ]);
    await runner.catchUp();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('imports a 10,000-row roll with 2% bad rows: counts, and each bad row by number and reason', async () => {
    const { rows, bad } = roll('A');
    const commandId = randomUUID();
    const outcome = await run(rows, commandId);
    expect(outcome).toMatchObject({
      rows: ROWS,
      accepted: ROWS - bad.size,
      rejected: bad.size,
      alreadyImported: 0,
      duplicate: false,
      batches: Math.ceil((ROWS - bad.size) / IMPORT_BATCH_SIZE),
    });
    expect(bad.size).toBe(200);
    expect(outcome.rejectedRows.map((r) => [r.rowNumber, r.reason])).toEqual([...bad.entries()]);
    expect(JSON.stringify(outcome.rejectedRows)).not.toContain(NATIONAL_ID);

    await runner.catchUp();
    const [t1] = await withTenant(db.appPool, tenantId, (c) => unionsByIds(c, tenantId, ['t1']));
    const retained = rows.filter((r, i) => r.status === 'RETAINED' && !bad.has(i + 1)).length;
    expect(t1?.stats.members).toBe(ROWS - bad.size - retained);
    expect(t1?.stats.retainedMembers).toBe(retained);

    // the same command id again: the first result, nothing appended
    const events = await eventCount();
    const again = await run(rows, commandId);
    expect(again).toMatchObject({ duplicate: true, accepted: ROWS - bad.size, rejected: 200 });
    expect(await eventCount()).toBe(events);
  });

  it('a re-run of the same file (new command id) imports nobody twice and appends nothing', async () => {
    const { rows, bad } = roll('A');
    const events = await eventCount();
    const outcome = await run(rows);
    expect(outcome.accepted).toBe(0);
    expect(outcome.alreadyImported).toBe(ROWS - bad.size);
    expect(outcome.position).toBeNull();
    expect(await eventCount()).toBe(events);
  });

  it('a re-run costs one lookup of the member streams: no card numbers, facts or encryption', async () => {
    // the real adapters, counted: what the handler asks of them, not what they answer
    const calls: string[] = [];
    class CountedFacts extends ReadModelMemberFacts {
      override lastGeneratedCardSequence(t: string) {
        calls.push('lastGeneratedCardSequence');
        return super.lastGeneratedCardSequence(t);
      }
      override importFacts(t: string, q: Parameters<ReadModelMemberFacts['importFacts']>[1]) {
        calls.push(
          `importFacts ${q.memberIds.length}/${q.employeeNos.length}/${q.cardNumbers.length}`,
        );
        return super.importFacts(t, q);
      }
    }
    class CountedProtector extends PostgresPersonalDataProtector {
      override protectMany(
        t: string,
        items: Parameters<PostgresPersonalDataProtector['protectMany']>[1],
      ) {
        calls.push(`protectMany ${items.length}`);
        return super.protectMany(t, items);
      }
    }
    const actors = new ActorUnits();
    actors.register(tenantId, 'hq-officer', '/');
    const counted = new ImportMembersHandler(
      store,
      new CountedFacts(db.appPool, actors),
      new CountedProtector(db.appPool, KEK),
    );
    const { rows: all, bad } = roll('Q');
    const rows = all.slice(0, 1_000).filter((_, i) => !bad.has(i + 1));
    expect((await run(rows)).accepted).toBe(rows.length);
    const events = await eventCount();
    const outcome = await counted.execute(
      new ImportMembersCommand({ unionId: 't1', rows, channel: 'CLI' }, meta()),
    );
    expect(outcome).toMatchObject({
      accepted: 0,
      rejected: rows.length,
      alreadyImported: rows.length,
    });
    expect(calls).toEqual([`importFacts ${rows.length}/0/0`]);
    expect(await eventCount()).toBe(events);

    // half old, half new: only the new rows get generated card numbers, looked-up numbers and
    // keys, and an old row's card number still clashes with a new row's later in the file
    calls.length = 0;
    const mixed: ImportRowInput[] = [
      ...rows.slice(0, 2).map((row) => ({ ...row, cardNumber: null })),
      ...rows.slice(2, 3),
      {
        employeeNo: 'N-1',
        name: '庚',
        gender: 'MALE',
        joinedOn: '2012-01-01',
        nationalId: NATIONAL_ID,
      },
      {
        employeeNo: 'N-2',
        name: '辛',
        gender: 'MALE',
        joinedOn: '2012-01-01',
        cardNumber: rows[2]?.cardNumber,
      },
    ];
    const second = await counted.execute(
      new ImportMembersCommand({ unionId: 't1', rows: mixed, channel: 'CLI' }, meta()),
    );
    expect(second.rejectedRows.map((r) => [r.rowNumber, r.reason])).toEqual([
      [1, 'ALREADY_IMPORTED'],
      [2, 'ALREADY_IMPORTED'],
      [3, 'ALREADY_IMPORTED'],
      [5, 'DUPLICATE_IN_FILE'],
    ]);
    expect(second.accepted).toBe(1);
    expect(calls).toEqual([
      'importFacts 5/0/0',
      'lastGeneratedCardSequence',
      'importFacts 0/2/2',
      'protectMany 1',
    ]);
    const n1 = await store.readStream<MemberImported>(
      tenantId,
      `member-${importedMemberId(tenantId, 'N-1', '2012-01-01')}`,
    );
    expect(n1.events[0]?.data.cardNumber).toMatch(/^M\d{8}$/);
  });

  it('two imports of the same roll racing import each member and issue each card number once', async () => {
    const { rows, bad } = roll('R');
    const good = ROWS - bad.size;
    // several batches each, two in flight per import: their member and card streams collide
    const raced = await Promise.allSettled([run(rows), run(rows)]);
    for (const outcome of raced)
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(ConcurrencyError);
    const first = raced.reduce((n, o) => n + (o.status === 'fulfilled' ? o.value.accepted : 0), 0);
    // whatever the race left over goes in on a re-run, and nothing twice
    const rest = await run(rows);
    expect(first + rest.accepted).toBe(good);
    const { rows: written } = await db.ownerPool.query<{ type: string; n: number; ids: number }>(
      `SELECT type, count(*)::int AS n, count(DISTINCT stream_id)::int AS ids FROM events
        WHERE tenant_id = $1 AND stream_version = 1
          AND (data->>'employeeNo' LIKE 'R%' OR data->>'cardNumber' LIKE 'RC%')
        GROUP BY type ORDER BY type`,
      [tenantId],
    );
    expect(written).toEqual([
      { type: 'CardNumberReserved', n: good, ids: good },
      { type: 'MemberImported', n: good, ids: good },
    ]);
    const { rows: later } = await db.ownerPool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE tenant_id = $1 AND stream_version > 1
          AND type IN ('MemberImported', 'CardNumberReserved')`,
      [tenantId],
    );
    expect(later[0]?.n).toBe(0);
  });

  it('members appear in union(asOf:) and the roster as of their historical join dates', async () => {
    const rows: ImportRowInput[] = [
      { employeeNo: 'H-1', name: '甲', gender: 'FEMALE', joinedOn: '1998-05-01', cardNumber: 'H1' },
      { employeeNo: 'H-2', name: '乙', gender: 'MALE', joinedOn: '2024-03-10' },
    ];
    const outcome = await run(rows, undefined, 'b1');
    expect(outcome.accepted).toBe(2);
    await runner.catchUp();
    const asOf = (date: string) =>
      withTenant(db.appPool, tenantId, async (c) => ({
        ...(await unionAsOf(c, tenantId, 'b1', date))?.stats,
        roster: (
          await rosterAsOf(c, tenantId, { unionPath: '/co/s1/b1/', unionId: 'b1' }, date, {
            first: 10,
          })
        ).nodes.length,
      }));
    // b1 exists from 2024-01-01; the existing member joined 2024-02-01
    expect(await asOf('2024-01-15')).toMatchObject({ members: 1, femaleMembers: 1, roster: 1 });
    expect(await asOf('2024-03-09')).toMatchObject({ members: 2, roster: 2 });
    expect(await asOf('2024-03-10')).toMatchObject({ members: 3, femaleMembers: 1, roster: 3 });

    // the row without a card number got a generated one, reserved in the store
    const h2 = await store.readStream<MemberImported>(
      tenantId,
      `member-${importedMemberId(tenantId, 'H-2', '2024-03-10')}`,
    );
    const data = h2.events[0]?.data;
    expect(data).toMatchObject({ cardNumberGenerated: true, joinedOn: '2024-03-10' });
    expect(data?.cardNumber).toMatch(/^M\d{8}$/);
    const reserved = await store.readStream(tenantId, cardNumberStreamId(data?.cardNumber ?? ''));
    expect(reserved.streamExists).toBe(true);
  });

  it('card numbers held by existing members are rejected rows, not a failed import', async () => {
    const rows: ImportRowInput[] = [
      { employeeNo: 'K-1', name: '丙', gender: 'MALE', joinedOn: '2010-01-01', cardNumber: 'x-1' },
      { employeeNo: 'K-2', name: '丁', gender: 'MALE', joinedOn: '2010-01-01', cardNumber: 'AC1' },
      { employeeNo: 'E-old', name: '戊', gender: 'MALE', joinedOn: '2010-01-01' },
      { employeeNo: 'K-4', name: '己', gender: 'MALE', joinedOn: '2010-01-01', cardNumber: 'K4' },
    ];
    const outcome = await run(rows, undefined, 't1');
    expect(outcome.rejectedRows.map((r) => [r.rowNumber, r.reason])).toEqual([
      [1, 'CARD_NUMBER_IN_USE'],
      [2, 'CARD_NUMBER_IN_USE'],
      [3, 'EMPLOYEE_NUMBER_IN_USE'],
    ]);
    expect(outcome.accepted).toBe(1);
  });

  it('refuses, whole and with nothing written, an import into a union that is not grassroots', async () => {
    const events = await eventCount();
    await expect(
      run(
        [{ employeeNo: 'Z', name: 'z', gender: 'MALE', joinedOn: '2010-01-01' }],
        undefined,
        's1',
      ),
    ).rejects.toMatchObject({ code: 'NOT_A_GRASSROOTS_UNION' });
    expect(await eventCount()).toBe(events);
  });
});
