import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { parse } from 'csv-parse';
import * as iconv from 'iconv-lite';

export type FileEncoding = 'utf8' | 'gb18030';

/** Column names accepted for each field, English or as Chinese office software exports them. */
export const COLUMN_NAMES = {
  employeeNo: ['employeeno', 'employee_no', 'employee no', '工号', '职工编号', '员工编号'],
  name: ['name', '姓名'],
  gender: ['gender', 'sex', '性别'],
  joinedOn: ['joinedon', 'joined_on', 'join date', '入会时间', '入会日期'],
  cardNumber: ['cardnumber', 'card_number', 'card no', '会员证号', '会员证编号'],
  nationalId: ['nationalid', 'national_id', 'id number', '身份证号', '身份证号码'],
  phone: ['phone', 'mobile', '手机号', '手机号码', '联系电话'],
  status: ['status', '状态', '会员状态'],
  duesExempt: ['duesexempt', 'dues_exempt', 'exempt', '免缴', '免缴会费'],
  memberId: ['memberid', 'member_id', '会员编号'],
  wageBase: ['wagebase', 'wage_base', '工资基数', '缴费基数'],
  amount: ['amount', 'dues', '应缴金额', '会费金额'],
} as const;

export type Column = keyof typeof COLUMN_NAMES;

export interface CsvHeader {
  /** The header cells as in the file (the rejects file repeats them). */
  readonly cells: string[];
  /** Field → index of its column; unknown columns are ignored (a rejects file's reason). */
  readonly index: Partial<Record<Column, number>>;
  /** The file used Chinese column names: messages and the rejects file answer in Chinese. */
  readonly chinese: boolean;
}

export interface CsvRow {
  /** 1-based data row (the header is not counted). */
  readonly rowNumber: number;
  readonly cells: string[];
}

/**
 * UTF-8 (with or without a BOM) or GB18030, from the first 64 KiB: a BOM means UTF-8, bytes that
 * are not valid UTF-8 mean GB18030 (what WPS and older Excel write on Chinese systems).
 */
export async function detectEncoding(path: string): Promise<FileEncoding> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const sample = buffer.subarray(0, bytesRead);
    if (sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) return 'utf8';
    // a multi-byte character may be cut at the end of the sample: end before its lead byte
    let end = bytesRead;
    if (bytesRead === buffer.length) {
      while (end > 0 && ((sample[end - 1] ?? 0) & 0xc0) === 0x80) end -= 1;
      end -= 1;
    }
    const whole = sample.subarray(0, Math.max(end, 0));
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(whole);
      return 'utf8';
    } catch {
      return 'gb18030';
    }
  } finally {
    await handle.close();
  }
}

export function readHeader(cells: string[]): CsvHeader {
  const index: Partial<Record<Column, number>> = {};
  let chinese = false;
  cells.forEach((cell, i) => {
    const name = cell.trim().toLowerCase();
    for (const [column, names] of Object.entries(COLUMN_NAMES) as [Column, readonly string[]][]) {
      if (names.includes(name) && index[column] === undefined) {
        index[column] = i;
        if (/[\u4e00-\u9fff]/.test(name)) chinese = true;
      }
    }
  });
  return { cells, index, chinese };
}

/** The header and a stream of rows, decoded and parsed as they are read (never the whole file). */
export async function openCsv(
  path: string,
  onBytes: (bytes: number) => void = () => undefined,
): Promise<{ encoding: FileEncoding; rows: AsyncIterable<string[]> }> {
  const encoding = await detectEncoding(path);
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  input.on('data', (chunk) => onBytes(chunk.length));
  const parser = input.pipe(iconv.decodeStream(encoding, { stripBOM: true })).pipe(
    parse({
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      trim: true,
    }),
  );
  return { encoding, rows: parser as AsyncIterable<string[]> };
}

export const cell = (header: CsvHeader, cells: readonly string[], column: Column): string =>
  (header.index[column] === undefined ? '' : (cells[header.index[column]] ?? '')).trim();

/** 2001-3-5, 2001/03/05, 2001.3.5, 20010305 and 2001年3月5日 → 2001-03-05; anything else as is. */
export function isoDate(value: string): string {
  const match =
    /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(value) ??
    /^(\d{4})(\d{2})(\d{2})$/.exec(value);
  if (!match) return value;
  return `${match[1]}-${match[2]?.padStart(2, '0')}-${match[3]?.padStart(2, '0')}`;
}

const FEMALE = new Set(['女', '女性', 'f', 'female']);
const MALE = new Set(['男', '男性', 'm', 'male']);

/** 女/男, F/M, female/male in any case → FEMALE/MALE; anything else as is (the domain refuses it). */
export function gender(value: string): string {
  const v = value.trim().toLowerCase();
  if (FEMALE.has(v)) return 'FEMALE';
  if (MALE.has(v)) return 'MALE';
  return value;
}

const STATUS: Record<string, string> = {
  在册: 'ACTIVE',
  正常: 'ACTIVE',
  会员: 'ACTIVE',
  保留: 'RETAINED',
  保留会籍: 'RETAINED',
};

export function status(value: string): string | null {
  if (value === '') return null;
  return STATUS[value] ?? value.toUpperCase();
}

export const yes = (value: string): boolean =>
  ['是', 'y', 'yes', 'true', '1', '免缴'].includes(value.trim().toLowerCase());

/** "1234.5" yuan → 123450 fen, without floating point; NaN for anything else. */
export function fen(value: string): number {
  const match = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(value.replace(/,/g, ''));
  if (!match) return Number.NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}
