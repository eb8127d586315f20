import type { CommandMetadata, Period } from '@app/core';
import { withTenant } from '@app/database';
import {
  ImportDuesPayrollCommand,
  duesErrorMessage,
  type DuesPayrollRow,
  type ImportDuesPayrollHandler,
} from '@app/unions';
import type { Pool } from 'pg';
import { cell, fen, openCsv, readHeader, type CsvHeader } from './csv-source';
import { RejectsWriter } from './rejects-writer';
import { reasonText, type ImportProgress } from './roll-import';

/** Employee numbers resolved per statement. */
const LOOKUP_CHUNK = 5_000;

export interface PayrollImportSummary {
  readonly file: string;
  readonly encoding: string;
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Rows for a month already paid (a re-run of the file): nothing to correct. */
  readonly alreadyPaid: number;
  readonly totalFen: number;
  readonly rejectsFile: string | null;
  readonly reasons: Record<string, number>;
  readonly seconds: number;
  readonly lastPosition: number | null;
}

/** Current members by employee number, set-based (one statement per 5,000 numbers). */
async function memberIdsOf(
  pool: Pool,
  tenantId: string,
  employeeNos: readonly string[],
): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const unique = [...new Set(employeeNos)];
  await withTenant(
    pool,
    tenantId,
    async (client) => {
      for (let i = 0; i < unique.length; i += LOOKUP_CHUNK) {
        const { rows } = await client.query<{ employee_no: string; member_id: string }>(
          `SELECT employee_no, member_id FROM rm_members
            WHERE tenant_id = $1 AND employee_no = ANY($2::text[])
              AND status IN ('ACTIVE', 'RETAINED')`,
          [tenantId, unique.slice(i, i + LOOKUP_CHUNK)],
        );
        for (const row of rows) out.set(row.employee_no, row.member_id);
      }
    },
    { readOnly: true },
  );
  return out;
}

/**
 * `npm run import -- payroll`: a month's payroll file (工号, 工资基数, 应缴金额 in yuan) streamed
 * into compact rows, employee numbers resolved to members set-based, then one
 * `ImportDuesPayroll` command for the union and month (it batches its own appends). Rows of
 * unknown employees and rows the domain refuses go to `<file>.rejected.csv`.
 */
export async function importPayrollFile(options: {
  file: string;
  unionId: string;
  period: Period;
  pool: Pool;
  handler: ImportDuesPayrollHandler;
  metadata: Omit<CommandMetadata, 'commandId'>;
  onProgress?: (progress: ImportProgress) => void;
}): Promise<PayrollImportSummary> {
  const started = Date.now();
  const { tenantId } = options.metadata;
  let bytes = 0;
  const { encoding, rows } = await openCsv(options.file, (n) => (bytes += n));
  let header: CsvHeader | null = null;
  const parsed: {
    employeeNo: string;
    memberId: string;
    wageBaseFen: number;
    amountFen: number | null;
    cells: string[];
  }[] = [];
  for await (const cells of rows) {
    if (header === null) {
      header = readHeader(cells);
      if (header.index.employeeNo === undefined && header.index.memberId === undefined)
        throw new Error('the header names no column for 工号 (employeeNo) or 会员编号 (memberId)');
      if (header.index.wageBase === undefined)
        throw new Error('the header names no column for 工资基数 (wageBase)');
      continue;
    }
    const amount = cell(header, cells, 'amount');
    parsed.push({
      employeeNo: cell(header, cells, 'employeeNo'),
      memberId: cell(header, cells, 'memberId'),
      wageBaseFen: fen(cell(header, cells, 'wageBase')),
      amountFen: amount === '' ? null : fen(amount),
      cells,
    });
    if (parsed.length % 10_000 === 0) options.onProgress?.({ rows: parsed.length, bytes });
  }
  if (header === null) throw new Error('the file is empty');
  const ids = await memberIdsOf(
    options.pool,
    tenantId,
    parsed.filter((p) => p.memberId === '').map((p) => p.employeeNo),
  );
  const payroll: DuesPayrollRow[] = parsed.map((p) => ({
    memberId: p.memberId || (ids.get(p.employeeNo) ?? ''),
    wageBaseFen: p.wageBaseFen,
    amountFen: p.amountFen,
  }));
  const outcome = await options.handler.execute(
    new ImportDuesPayrollCommand(
      { unionId: options.unionId, period: options.period, rows: payroll },
      options.metadata,
    ),
  );
  options.onProgress?.({ rows: parsed.length, bytes });
  const rejects = new RejectsWriter(options.file.replace(/\.csv$/i, '') + '.rejected.csv');
  const reasons: Record<string, number> = {};
  let alreadyPaid = 0;
  for (const row of outcome.rejectedRows) {
    if (row.reason === 'DUES_ALREADY_PAID') {
      alreadyPaid += 1;
      continue;
    }
    reasons[row.reason] = (reasons[row.reason] ?? 0) + 1;
    const message =
      row.reason === 'UNKNOWN_MEMBER' ? duesErrorMessage('UNKNOWN_MEMBER') : row.message;
    await rejects.write(
      header,
      parsed[row.rowNumber - 1]?.cells ?? [],
      reasonText(
        { rowNumber: row.rowNumber, reason: row.reason, field: null, message },
        header.chinese,
      ),
    );
  }
  return {
    file: options.file,
    encoding,
    rows: parsed.length,
    accepted: outcome.accepted,
    rejected: outcome.rejected - alreadyPaid,
    alreadyPaid,
    totalFen: outcome.totalFen,
    rejectsFile: await rejects.close(),
    reasons,
    seconds: (Date.now() - started) / 1000,
    lastPosition: outcome.position,
  };
}
