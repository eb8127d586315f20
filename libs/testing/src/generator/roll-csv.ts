import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import * as iconv from 'iconv-lite';
import { personName } from './names';
import { Prng } from './prng';

/** How a generated file is encoded: plain UTF-8, UTF-8 with a BOM (Excel), or GB18030 (WPS). */
export type CsvEncoding = 'utf8' | 'utf8-bom' | 'gb18030';

export interface RollCsvOptions {
  readonly rows: number;
  readonly seed?: number;
  /** Share of rows made bad on purpose, in five kinds (see `BAD_KINDS`); default 0. */
  readonly badShare?: number;
  readonly encoding?: CsvEncoding;
  /** Column names: English or the Chinese ones exported by office software; default 'zh'. */
  readonly headers?: 'en' | 'zh';
  /** Employee and card numbers start with it (distinct files for distinct tenants' tests). */
  readonly prefix?: string;
  /** Join dates lie before this date; default '2026-01-01'. */
  readonly before?: string;
}

export interface RollCsvReport {
  readonly rows: number;
  /** Row number (1-based, header excluded) → the reason the import must give. */
  readonly bad: ReadonlyMap<number, string>;
  readonly employeeNos: string[];
}

const HEADERS = {
  en: [
    'employeeNo',
    'name',
    'gender',
    'joinedOn',
    'cardNumber',
    'nationalId',
    'phone',
    'status',
    'duesExempt',
  ],
  zh: ['工号', '姓名', '性别', '入会时间', '会员证号', '身份证号', '手机号', '状态', '免缴'],
} as const;

/** Bad rows, round robin: what is wrong and the reason code the import gives. */
export const BAD_KINDS = [
  'MISSING_FIELD',
  'UNKNOWN_GENDER',
  'DATE_IN_FUTURE',
  'DUPLICATE_IN_FILE',
  'DUPLICATE_IN_FILE',
] as const;

const csvField = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/** A well-formed, made-up 18-character national id (region, birth date, sequence, check). */
function nationalId(prng: Prng, born: number): string {
  const body = `1101${String(prng.int(1, 99)).padStart(2, '0')}${born}${String(prng.int(1, 12)).padStart(2, '0')}${String(prng.int(1, 28)).padStart(2, '0')}${String(prng.int(0, 999)).padStart(3, '0')}`;
  const weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  const sum = [...body].reduce((total, d, i) => total + Number(d) * (weights[i] ?? 0), 0);
  return body + ('10X98765432'[sum % 11] ?? '0');
}

/**
 * A realistic roll exported from a previous registry, written streaming (a 250,000-row file never
 * sits in memory): employee numbers, names, genders (女/男 in Chinese files), join dates over
 * forty years in the formats office software writes, card numbers for most rows, national ids
 * and mobile numbers for some, a few retained and exempt members. Deterministic for a seed.
 */
export async function writeRollCsv(path: string, options: RollCsvOptions): Promise<RollCsvReport> {
  const prng = new Prng(options.seed ?? 7);
  const zh = (options.headers ?? 'zh') === 'zh';
  const encoding = options.encoding ?? 'utf8';
  const prefix = options.prefix ?? 'E';
  const latestYear = Number((options.before ?? '2026-01-01').slice(0, 4)) - 1;
  const badEvery = options.badShare ? Math.round(1 / options.badShare) : 0;
  const out = createWriteStream(path);
  const write = async (text: string) => {
    const bytes =
      encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8');
    if (!out.write(bytes)) await once(out, 'drain');
  };
  if (encoding === 'utf8-bom') await write('\uFEFF');
  await write(`${HEADERS[zh ? 'zh' : 'en'].join(',')}\r\n`);
  const bad = new Map<number, string>();
  const employeeNos: string[] = [];
  let chunk = '';
  for (let n = 1; n <= options.rows; n++) {
    const female = prng.chance(0.42);
    const year = prng.int(1986, latestYear);
    const month = prng.int(1, 12);
    const day = prng.int(1, 28);
    const iso = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    const fields = {
      employeeNo: `${prefix}${String(n).padStart(7, '0')}`,
      name: personName(prng, female),
      gender: zh ? (female ? '女' : '男') : female ? 'FEMALE' : 'MALE',
      // office software writes dates either way
      joinedOn: n % 4 === 0 ? `${year}/${month}/${day}` : iso,
      // one row in ten has no card yet (the import generates one); never a row a bad one copies
      cardNumber: n % 10 === 5 ? '' : `${prefix}K${String(n).padStart(8, '0')}`,
      nationalId: prng.chance(0.3) ? nationalId(prng, year - prng.int(18, 40)) : '',
      phone: prng.chance(0.3)
        ? `1${prng.int(30, 99)}${String(prng.int(0, 99_999_999)).padStart(8, '0')}`
        : '',
      status: prng.chance(0.02) ? (zh ? '保留' : 'RETAINED') : zh ? '在册' : 'ACTIVE',
      duesExempt: prng.chance(0.01) ? (zh ? '是' : 'true') : '',
    };
    if (badEvery > 0 && n % badEvery === 0) {
      const kind = BAD_KINDS[(n / badEvery) % BAD_KINDS.length] ?? 'MISSING_FIELD';
      bad.set(n, kind);
      const previous = n - badEvery + 1; // a good row earlier in the file
      if (kind === 'MISSING_FIELD') fields.name = '';
      else if (kind === 'UNKNOWN_GENDER') fields.gender = zh ? '未知' : 'X';
      else if (kind === 'DATE_IN_FUTURE') fields.joinedOn = '2099-01-01';
      else if ((n / badEvery) % BAD_KINDS.length === 3)
        fields.employeeNo = `${prefix}${String(previous).padStart(7, '0')}`;
      else fields.cardNumber = `${prefix}K${String(previous).padStart(8, '0')}`;
    }
    if (!bad.has(n)) employeeNos.push(fields.employeeNo);
    chunk += `${Object.values(fields).map(csvField).join(',')}\r\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
  return { rows: options.rows, bad, employeeNos };
}

/**
 * A month's payroll for the given employees (工号, 姓名, 工资基数 in yuan, 应缴金额 left empty
 * for some rows: the import computes 0.5% of the base, the part below CNY 10 dropped).
 */
export async function writePayrollCsv(
  path: string,
  options: { employeeNos: readonly string[]; seed?: number; encoding?: CsvEncoding },
): Promise<void> {
  const prng = new Prng(options.seed ?? 11);
  const encoding = options.encoding ?? 'utf8';
  const out = createWriteStream(path);
  const write = async (text: string) => {
    const bytes =
      encoding === 'gb18030' ? iconv.encode(text, 'gb18030') : Buffer.from(text, 'utf8');
    if (!out.write(bytes)) await once(out, 'drain');
  };
  if (encoding === 'utf8-bom') await write('\uFEFF');
  await write('工号,工资基数,应缴金额\r\n');
  let chunk = '';
  for (const employeeNo of options.employeeNos) {
    const baseYuan = prng.int(3_000, 15_000);
    const dues = Math.floor(baseYuan / 10) * 10 * 0.005;
    chunk += `${employeeNo},${baseYuan}.00,${prng.chance(0.5) ? dues.toFixed(2) : ''}\r\n`;
    if (chunk.length > 64 * 1024) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  out.end();
  await once(out, 'finish');
}
