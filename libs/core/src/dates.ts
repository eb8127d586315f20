/**
 * Business dates are "YYYY-MM-DD" strings and periods "YYYY-MM"; nothing here depends on the
 * machine's time zone.
 */
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const PERIOD = /^(\d{4})-(\d{2})$/;

export type IsoDate = string;
export type Period = string;

export function isIsoDate(value: string): value is IsoDate {
  const m = DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

export function isPeriod(value: string): value is Period {
  const m = PERIOD.exec(value);
  return !!m && Number(m[2]) >= 1 && Number(m[2]) <= 12;
}

/** Whole months from period a to period b (b - a). */
export function monthsBetween(a: Period, b: Period): number {
  const [ya, ma] = a.split('-').map(Number) as [number, number];
  const [yb, mb] = b.split('-').map(Number) as [number, number];
  return (yb - ya) * 12 + (mb - ma);
}

export function addMonthsToPeriod(p: Period, months: number): Period {
  const [y, m] = p.split('-').map(Number) as [number, number];
  const total = y * 12 + (m - 1) + months;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** Adds calendar months to an ISO date, clamping to the month's last day (2024-01-31 + 1 = 2024-02-29). */
export function addMonthsToDate(date: IsoDate, months: number): IsoDate {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = total % 12;
  const last = new Date(Date.UTC(ny, nm + 1, 0)).getUTCDate();
  return `${ny}-${String(nm + 1).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** The calendar date of an instant in a fixed-offset zone (Asia/Shanghai is UTC+8 with no DST). */
export function dateInZone(instant: Date, offsetMinutes = 8 * 60): IsoDate {
  return new Date(instant.getTime() + offsetMinutes * 60_000).toISOString().slice(0, 10);
}
