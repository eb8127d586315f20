import {
  normaliseCardNumber,
  type MemberImportRowData,
  type MemberImportTenantFacts,
} from '../member-import.decider';
import type { ProtectedValue } from '../member.state';
import { formatGeneratedCardNumber } from './card-numbers';
import type { PersonalDataProtector } from './personal-data.port';

/** One row as the mutation or the CLI reads it; personal data in plaintext, never logged. */
export interface ImportRowInput {
  /** The row's number in the file (1-based); its index + 1 when absent. */
  readonly rowNumber?: number;
  readonly employeeNo: string | null | undefined;
  readonly name: string | null | undefined;
  readonly gender: string | null | undefined;
  readonly joinedOn: string | null | undefined;
  readonly cardNumber?: string | null;
  readonly nationalId?: string | null;
  readonly phone?: string | null;
  /** A MemberStatus name; the domain refuses anything but ACTIVE and RETAINED. */
  readonly status?: string | null;
  readonly duesExempt?: boolean | null;
}

/** Malformed, not merely wrong: the value itself never appears in a reason. */
const PERSONAL_FORMAT = {
  nationalId: /^[0-9A-Za-z]{6,32}$/,
  phone: /^\+?[0-9][0-9 -]{3,30}$/,
} as const;

const blank = (value: string | null | undefined): boolean =>
  value === null || value === undefined || value.trim() === '';

/**
 * Gives every row without a card number (or with one generated before) the next generated number
 * from `start`, skipping numbers the file itself names. `last` is the last sequence handed out.
 * Rows that `needsCard` refuses (imported before) are left as they are.
 */
export function assignGeneratedCards(
  rows: readonly MemberImportRowData[],
  start: number,
  needsCard: (row: MemberImportRowData) => boolean = () => true,
): { rows: MemberImportRowData[]; generated: string[]; last: number } {
  const given = new Set(
    rows
      .filter((row) => !row.cardNumberGenerated && !blank(row.cardNumber))
      .map((row) => normaliseCardNumber(row.cardNumber ?? '')),
  );
  const generated: string[] = [];
  let sequence = start - 1;
  const out = rows.map((row) => {
    if (!needsCard(row) || (!row.cardNumberGenerated && !blank(row.cardNumber))) return row;
    let card = formatGeneratedCardNumber(++sequence);
    while (given.has(card)) card = formatGeneratedCardNumber(++sequence);
    generated.push(card);
    return { ...row, cardNumber: card, cardNumberGenerated: true };
  });
  return { rows: out, generated, last: sequence };
}

/**
 * Encrypts the national id and phone of the rows that can still go in (not already imported),
 * all in one call of the protector; `inputs[i]` is the plaintext of `rows[i]`.
 */
export async function protectRows(
  protector: PersonalDataProtector,
  tenantId: string,
  rows: readonly MemberImportRowData[],
  inputs: readonly ImportRowInput[],
  facts: MemberImportTenantFacts,
): Promise<MemberImportRowData[]> {
  type Writable = { -readonly [K in keyof MemberImportRowData]: MemberImportRowData[K] };
  const items: { memberId: string; plaintext: string }[] = [];
  const slots: { row: number; field: 'nationalId' | 'phone' }[] = [];
  const out: MemberImportRowData[] = [...rows];
  // a row is copied only when something is written to it (most rows carry no personal data)
  const writable = (index: number): Writable => {
    const row = out[index] as MemberImportRowData;
    if (row !== rows[index]) return row;
    const copy: Writable = { ...row };
    out[index] = copy;
    return copy;
  };
  rows.forEach((row, index) => {
    if (facts.existingMemberIds.has(row.memberId)) return;
    const input = inputs[index];
    for (const field of ['nationalId', 'phone'] as const) {
      const value = input?.[field]?.trim() ?? '';
      if (value === '') continue;
      if (!PERSONAL_FORMAT[field].test(value)) {
        writable(index).malformedPersonalField = field;
        continue;
      }
      items.push({ memberId: row.memberId, plaintext: value });
      slots.push({ row: index, field });
    }
  });
  if (items.length === 0) return out;
  const sealed = await protector.protectMany(tenantId, items);
  slots.forEach(({ row, field }, i) => {
    const value: ProtectedValue | undefined = sealed[i];
    if (value !== undefined) writable(row)[field] = value;
  });
  return out;
}
