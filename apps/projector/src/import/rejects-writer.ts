import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { CsvHeader } from './csv-source';

const REASON = { en: 'reason', zh: '错误原因' } as const;
const isReason = (cell: string) => cell === REASON.en || cell === REASON.zh;

const field = (value: string): string =>
  /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;

/**
 * `<file>.rejected.csv`: the rejected rows as they were, with a reason column (a rejects file
 * imported again loses its old reason column first). UTF-8 with a BOM so that Excel reads the
 * Chinese text; created only when a row is rejected.
 */
export class RejectsWriter {
  private out: WriteStream | null = null;
  private keep: number[] = [];

  constructor(readonly path: string) {}

  async write(header: CsvHeader, cells: readonly string[], reason: string): Promise<void> {
    if (this.out === null) {
      this.keep = header.cells.map((_, i) => i).filter((i) => !isReason(header.cells[i] ?? ''));
      this.out = createWriteStream(this.path);
      const names = [
        ...this.keep.map((i) => header.cells[i] ?? ''),
        REASON[header.chinese ? 'zh' : 'en'],
      ];
      this.out.write(`\uFEFF${names.map(field).join(',')}\r\n`);
    }
    const line = [...this.keep.map((i) => cells[i] ?? ''), reason].map(field).join(',');
    if (!this.out.write(`${line}\r\n`)) await once(this.out, 'drain');
  }

  /** The file's path, or null when no row was rejected. */
  async close(): Promise<string | null> {
    if (this.out === null) return null;
    this.out.end();
    await once(this.out, 'finish');
    return this.path;
  }
}
