import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import * as iconv from 'iconv-lite';
import { PostgresEventStore } from '@app/event-store';
import {
  ActorUnits,
  PostgresPersonalDataProtector,
  ProjectionRunner,
  ReadModelMemberFacts,
  allProjections,
  unionsByIds,
} from '@app/read-models';
import { withTenant } from '@app/database';
import { createTestDatabase, writePayrollCsv, writeRollCsv, type TestDatabase } from '@app/testing';
import { ImportDuesPayrollHandler, ImportMembersHandler } from '@app/unions';
import { detectEncoding } from './csv-source';
import { importPayrollFile } from './payroll-import';
import { importRollFile } from './roll-import';

/** co (COMPANY) ── s1 (SECONDARY_UNIT) ── b1 (BRIGADE) ── t1 (TEAM) */
async function smallTree(store: PostgresEventStore, tenantId: string): Promise<void> {
  const levels = [
    ['co', 'COMPANY', null],
    ['s1', 'SECONDARY_UNIT', 'co'],
    ['b1', 'BRIGADE', 's1'],
    ['t1', 'TEAM', 'b1'],
  ] as const;
  for (const [unionId, level, parentId] of levels) {
    await store.appendToStream(tenantId, `union-${unionId}`, [
      {
        type: 'UnionEstablished',
        data: { unionId, name: unionId, level, parentId, establishedOn: '2024-01-01' },
      },
    ]);
  }
}

const dir = mkdtempSync(join(tmpdir(), 'import-files-'));
const readRejects = (path: string): Record<string, string>[] =>
  parse<Record<string, string>>(readFileSync(path, 'utf8'), { columns: true, bom: true });

describe('import CLI path: roll and payroll files (issue 9)', () => {
  let db: TestDatabase;
  let runner: ProjectionRunner;
  let members: ImportMembersHandler;
  let payroll: ImportDuesPayrollHandler;
  const tenantId = `tenant-${randomUUID()}`;
  const metadata = (now = '2025-07-15T04:00:00Z') => ({
    tenantId,
    actor: 'cli:test',
    now: new Date(now),
  });
  const activeOnT1 = async () =>
    (await withTenant(db.appPool, tenantId, (c) => unionsByIds(c, tenantId, ['t1'])))[0]?.stats;

  beforeAll(async () => {
    db = await createTestDatabase();
    const store = new PostgresEventStore(db.appPool);
    runner = new ProjectionRunner(store, db.appPool, allProjections());
    const actors = new ActorUnits();
    actors.register(tenantId, 'cli:test', '/');
    const facts = new ReadModelMemberFacts(db.appPool, actors);
    members = new ImportMembersHandler(
      store,
      facts,
      new PostgresPersonalDataProtector(db.appPool, randomBytes(32)),
    );
    payroll = new ImportDuesPayrollHandler(store, facts);
    await smallTree(store, tenantId);
    await runner.catchUp();
  });
  afterAll(async () => {
    await db?.close();
  });

  it('imports a 10,000-row GB18030 roll with Chinese headers and 2% bad rows; the rejects file can be corrected and re-imported', async () => {
    const file = join(dir, 'roll.csv');
    const made = await writeRollCsv(file, {
      rows: 10_000,
      badShare: 0.02,
      encoding: 'gb18030',
      headers: 'zh',
      before: '2025-07-01',
    });
    expect(await detectEncoding(file)).toBe('gb18030');
    const summary = await importRollFile({
      file,
      unionId: 't1',
      handler: members,
      metadata: metadata(),
      partRows: 3_000, // duplicates reach across parts
    });
    expect(summary).toMatchObject({
      encoding: 'gb18030',
      rows: 10_000,
      accepted: 9_800,
      rejected: 200,
      alreadyImported: 0,
      reasons: { MISSING_FIELD: 40, UNKNOWN_GENDER: 40, DATE_IN_FUTURE: 40, DUPLICATE_IN_FILE: 80 },
    });
    const rejects = readRejects(summary.rejectsFile ?? '');
    expect(rejects).toHaveLength(200);
    expect(rejects[0]?.['错误原因']).toMatch(/^第 50 行：/);
    const reasons = rejects.map((r) => /：([A-Z_]+)/.exec(r['错误原因'] ?? '')?.[1]);
    expect(reasons).toEqual([...made.bad.values()]);
    // the reason column never repeats a value of the row (national ids, phones)
    for (const r of rejects) {
      for (const value of [r['身份证号'], r['手机号']])
        if (value) expect(r['错误原因']).not.toContain(value);
    }
    await runner.catchUp();
    expect((await activeOnT1())?.members).toBeGreaterThan(9_500);

    // the same file again: nobody twice, the bad rows once more
    const again = await importRollFile({
      file,
      unionId: 't1',
      handler: members,
      metadata: metadata(),
    });
    expect(again).toMatchObject({ accepted: 0, alreadyImported: 9_800, rejected: 200 });

    // corrected in a spreadsheet and imported again (its reason column is ignored)
    const fixed: Record<string, string>[] = rejects.map((r, i) => ({
      ...r,
      工号: `FIX${i}`,
      姓名: r['姓名'] || '改正',
      性别: '女',
      入会时间: '2001-01-01',
      会员证号: `FIXK${i}`,
    }));
    const columns = Object.keys(fixed[0] ?? {});
    const corrected = join(dir, 'roll.rejected.fixed.csv');
    writeFileSync(
      corrected,
      [
        columns.join(','),
        ...fixed.map((r) => columns.map((c) => `"${r[c] ?? ''}"`).join(',')),
      ].join('\n'),
    );
    const third = await importRollFile({
      file: corrected,
      unionId: 't1',
      handler: members,
      metadata: metadata(),
    });
    expect(third).toMatchObject({ rows: 200, accepted: 200, rejected: 0, rejectsFile: null });

    // the month's payroll by employee number, GB18030
    await runner.catchUp();
    const pay = join(dir, 'payroll-2025-07.csv');
    await writePayrollCsv(pay, {
      employeeNos: [...made.employeeNos, 'NOBODY'],
      encoding: 'gb18030',
    });
    const paid = await importPayrollFile({
      file: pay,
      unionId: 't1',
      period: '2025-07',
      pool: db.appPool,
      handler: payroll,
      metadata: metadata('2025-08-10T04:00:00Z'),
    });
    expect(paid.rows).toBe(9_801);
    expect(paid.reasons.UNKNOWN_MEMBER).toBe(1);
    expect(paid.accepted + paid.rejected).toBe(9_801);
    expect(paid.accepted).toBeGreaterThan(9_500); // retained and exempt members owe nothing
    expect(readRejects(paid.rejectsFile ?? '')).toHaveLength(paid.rejected);
    const rerun = await importPayrollFile({
      file: pay,
      unionId: 't1',
      period: '2025-07',
      pool: db.appPool,
      handler: payroll,
      metadata: metadata('2025-08-10T04:00:00Z'),
    });
    expect(rerun).toMatchObject({ accepted: 0, alreadyPaid: paid.accepted });
  });

  it('reads UTF-8 with a BOM and English headers, and UTF-8 without one', async () => {
    for (const [encoding, prefix] of [
      ['utf8-bom', 'B'],
      ['utf8', 'U'],
    ] as const) {
      const file = join(dir, `roll-${encoding}.csv`);
      // past the 64 KiB sniffed for the encoding, so a character is cut at its end
      const rows = 1_500;
      await writeRollCsv(file, { rows, encoding, headers: 'en', prefix, before: '2025-07-01' });
      const bytes = readFileSync(file);
      expect(bytes.subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]))).toBe(
        encoding === 'utf8-bom',
      );
      const summary = await importRollFile({
        file,
        unionId: 'b1',
        handler: members,
        metadata: metadata(),
      });
      expect(summary).toMatchObject({ encoding: 'utf8', rows, accepted: rows, rejected: 0 });
    }
    // Chinese text survives each encoding the same way
    expect(iconv.decode(iconv.encode('工号,姓名', 'gb18030'), 'gb18030')).toBe('工号,姓名');
  });

  it('refuses a file whose header names no employee number column, before writing anything', async () => {
    const file = join(dir, 'bad-header.csv');
    writeFileSync(file, 'foo,bar\n1,2\n');
    await expect(
      importRollFile({ file, unionId: 't1', handler: members, metadata: metadata() }),
    ).rejects.toThrow(/工号/);
  });
});
