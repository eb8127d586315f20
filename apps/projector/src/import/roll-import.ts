import { CompactStringSet, type CommandMetadata } from '@app/core';
import {
  ImportMembersCommand,
  normaliseCardNumber,
  type ImportMembersHandler,
  type ImportRowInput,
  type MemberImportRejected,
} from '@app/unions';
import { basename } from 'node:path';
import {
  cell,
  gender,
  isoDate,
  openCsv,
  readHeader,
  status,
  yes,
  type CsvHeader,
} from './csv-source';
import { RejectsWriter } from './rejects-writer';

/** Rows per command: memory stays flat however long the roll is. */
export const ROLL_PART_ROWS = 10_000;

export interface ImportProgress {
  readonly rows: number;
  readonly bytes: number;
}

export interface RollImportSummary {
  readonly file: string;
  readonly encoding: string;
  readonly rows: number;
  readonly accepted: number;
  /** Rows to correct (written to the rejects file). */
  readonly rejected: number;
  /** Rows a previous import already brought in: nothing to do, not in the rejects file. */
  readonly alreadyImported: number;
  readonly rejectsFile: string | null;
  readonly reasons: Record<string, number>;
  readonly seconds: number;
  readonly lastPosition: number | null;
}

export interface RollImportOptions {
  readonly file: string;
  readonly unionId: string;
  readonly handler: ImportMembersHandler;
  readonly metadata: Omit<CommandMetadata, 'commandId'>;
  readonly partRows?: number;
  readonly onProgress?: (progress: ImportProgress) => void;
}

function toRow(header: CsvHeader, cells: string[], rowNumber: number): ImportRowInput {
  const text = (column: Parameters<typeof cell>[2]) => cell(header, cells, column);
  const optional = (column: Parameters<typeof cell>[2]) => text(column) || null;
  return {
    rowNumber,
    employeeNo: text('employeeNo'),
    name: text('name'),
    gender: gender(text('gender')),
    joinedOn: isoDate(text('joinedOn')),
    cardNumber: optional('cardNumber'),
    nationalId: optional('nationalId'),
    phone: optional('phone'),
    status: status(text('status')),
    duesExempt: yes(text('duesExempt')),
  };
}

/** The reason column: row, rule, field and message, never a value of the row. */
export function reasonText(
  row:
    | MemberImportRejected
    | {
        rowNumber: number;
        reason: string;
        field: string | null;
        message: { en: string; zh: string };
      },
  chinese: boolean,
): string {
  const field = row.field === null ? '' : ` (${row.field})`;
  return chinese
    ? `第 ${row.rowNumber} 行：${row.reason}${field}：${row.message.zh}`
    : `row ${row.rowNumber}: ${row.reason}${field}: ${row.message.en}`;
}

/**
 * `npm run import -- members`: streams the roll (csv-parse over iconv-lite), sends it to
 * ImportMembersHandler in parts of `partRows`, carries the numbers already taken by earlier parts
 * into the next (so duplicates across parts are caught like those within one), and writes every
 * rejected row, as it was in the file plus a reason column, to `<file>.rejected.csv` (UTF-8 with
 * a BOM, for Excel), which can be corrected and imported again.
 */
export async function importRollFile(options: RollImportOptions): Promise<RollImportSummary> {
  const started = Date.now();
  const partRows = options.partRows ?? ROLL_PART_ROWS;
  let bytes = 0;
  const { encoding, rows } = await openCsv(options.file, (n) => (bytes += n));
  // every number the file has taken so far, off the heap: memory stays flat in the file's length
  const employeeNos = new CompactStringSet();
  const cardNumbers = new CompactStringSet();
  const rejects = new RejectsWriter(options.file.replace(/\.csv$/i, '') + '.rejected.csv');
  const reasons: Record<string, number> = {};
  let header: CsvHeader | null = null;
  let part: { input: ImportRowInput; cells: string[] }[] = [];
  let count = 0;
  let accepted = 0;
  let rejected = 0;
  let alreadyImported = 0;
  let lastPosition: number | null = null;
  let generatedThrough: number | null = null;

  /** One part through the handler; its rejected rows to the rejects file. */
  const importPart = async (rows: { input: ImportRowInput; cells: string[] }[]) => {
    if (rows.length === 0 || header === null) return;
    const outcome = await options.handler.execute(
      new ImportMembersCommand(
        {
          unionId: options.unionId,
          rows: rows.map((p) => p.input),
          channel: 'CLI',
          file: basename(options.file),
          earlier: { employeeNos, cardNumbers, generatedThrough },
        },
        options.metadata,
      ),
    );
    accepted += outcome.accepted;
    alreadyImported += outcome.alreadyImported;
    lastPosition = outcome.position ?? lastPosition;
    generatedThrough = Math.max(generatedThrough ?? 0, outcome.generatedThrough ?? 0);
    const refused = new Map(outcome.rejectedRows.map((r) => [r.rowNumber, r]));
    for (const { input, cells } of rows) {
      const rejection = refused.get(input.rowNumber ?? 0);
      if (rejection === undefined || rejection.reason === 'ALREADY_IMPORTED') {
        // in the tenant now: later parts must not reuse these numbers
        employeeNos.add((input.employeeNo ?? '').trim());
        if (input.cardNumber) cardNumbers.add(normaliseCardNumber(input.cardNumber));
        continue;
      }
      rejected += 1;
      reasons[rejection.reason] = (reasons[rejection.reason] ?? 0) + 1;
      await rejects.write(header, cells, reasonText(rejection, header.chinese));
    }
    options.onProgress?.({ rows: count, bytes });
  };
  // The next part is read and parsed while the previous one is imported; parts go in one at a
  // time (each needs the numbers the previous one took), so at most two are held in memory.
  let importing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const rows = part;
    part = [];
    await importing;
    importing = importPart(rows);
    // a failure surfaces at the next flush or at the end, not as an unhandled rejection
    importing.catch(() => undefined);
  };

  const readParts = async () => {
    for await (const cells of rows) {
      if (header === null) {
        header = readHeader(cells);
        const missing = (['employeeNo', 'name', 'gender', 'joinedOn'] as const).filter(
          (column) => header?.index[column] === undefined,
        );
        if (missing.length > 0)
          throw new Error(
            `the header names no column for ${missing.join(', ')} (e.g. 工号, 姓名, 性别, 入会时间)`,
          );
        continue;
      }
      count += 1;
      part.push({ input: toRow(header, cells, count), cells });
      if (part.length >= partRows) await flush();
    }
  };
  try {
    await readParts();
  } catch (error) {
    await importing.catch(() => undefined); // the part in flight finishes (and its rejects) first
    throw error;
  }
  await flush();
  await importing;
  const rejectsFile = await rejects.close();
  return {
    file: options.file,
    encoding,
    rows: count,
    accepted,
    rejected,
    alreadyImported,
    rejectsFile,
    reasons,
    seconds: (Date.now() - started) / 1000,
    lastPosition,
  };
}
