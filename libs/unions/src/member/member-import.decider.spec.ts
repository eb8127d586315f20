import { DomainError } from '@app/core';
import { RULES, meta } from './member.fixtures';
import { today } from './member-checks.rules';
import {
  decideMemberImport,
  type ImportMembers,
  type MemberImportRowData,
  type MemberImportTenantFacts,
} from './member-import.decider';

const TEAM = 'team-1';
const NO_FACTS: MemberImportTenantFacts = {
  existingMemberIds: new Set(),
  employeeNosInUse: new Set(),
  cardNumbersInUse: new Set(),
};

const row = (n: number, over: Partial<MemberImportRowData> = {}): MemberImportRowData => ({
  rowNumber: n,
  memberId: `m-${n}`,
  employeeNo: `E${n}`,
  name: `会员${n}`,
  gender: 'FEMALE',
  joinedOn: '2019-03-01',
  cardNumber: `C${n}`,
  cardNumberGenerated: false,
  nationalId: null,
  phone: null,
  status: null,
  duesExempt: null,
  ...over,
});

/** Given the tenant's facts, when the rows are imported, then these go in and these are refused. */
const given = (
  tenant: MemberImportTenantFacts = NO_FACTS,
  over: Partial<ImportMembers['data']> = {},
) => ({
  when: (rows: MemberImportRowData[]) => {
    const command: ImportMembers = {
      type: 'ImportMembers',
      metadata: meta(),
      data: {
        rules: RULES,
        actsForUnionIds: [TEAM],
        union: { unionId: TEAM, level: 'TEAM', status: 'ACTIVE' },
        importId: 'import-1',
        importedOn: '2025-07-15',
        channel: 'CLI',
        file: 'roll.csv',
        rows,
        tenant,
        earlier: null,
        ...over,
      },
    };
    return {
      then: (accepted: number[], rejected: [number, string, (string | null)?][]) => {
        const decision = decideMemberImport(command);
        expect(decision.accepted.map((a) => a.rowNumber)).toEqual(accepted);
        expect(decision.rejected.map((r) => [r.rowNumber, r.reason, r.field])).toEqual(
          rejected.map(([n, reason, field]) => [n, reason, field ?? null]),
        );
        return decision;
      },
      thenThrows: (code: string) => {
        let caught: unknown;
        try {
          decideMemberImport(command);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(DomainError);
        expect((caught as DomainError).code).toBe(code);
      },
    };
  },
});

describe('importMembers: an existing roll, row by row (issue 9)', () => {
  it('imports each good row as one MemberImported with its history, the import and its source', () => {
    const decision = given()
      .when([row(1), row(2, { gender: 'MALE', status: 'RETAINED', joinedOn: '2001-09-30' })])
      .then([1, 2], []);
    expect(decision.accepted[1]?.event).toEqual({
      type: 'MemberImported',
      data: expect.objectContaining({
        memberId: 'm-2',
        unionId: TEAM,
        joinedOn: '2001-09-30',
        cardNumber: 'C2',
        status: 'RETAINED',
        duesExempt: true,
        // arrears count from the import month: years nobody recorded are not unpaid months
        duesLiableFrom: '2025-07',
        importId: 'import-1',
        source: { channel: 'CLI', file: 'roll.csv', rowNumber: 2 },
      }),
    });
  });

  it('names the missing field, the unknown gender and the future join date by row', () => {
    given()
      .when([
        row(1, { name: ' ' }),
        row(2, { employeeNo: null }),
        row(3, { gender: 'X' }),
        row(4, { joinedOn: '2025-07-16' }),
        row(5, { joinedOn: '2025-02-30' }),
        row(6, { status: 'WITHDRAWN' }),
        row(7, { cardNumber: 'no spaces allowed' }),
        row(8),
      ])
      .then(
        [8],
        [
          [1, 'MISSING_FIELD', 'name'],
          [2, 'MISSING_FIELD', 'employeeNo'],
          [3, 'UNKNOWN_GENDER', 'gender'],
          [4, 'DATE_IN_FUTURE', 'joinedOn'],
          [5, 'INVALID_MEMBER_INPUT', 'joinedOn'],
          [6, 'INVALID_IMPORT_STATUS'],
          [7, 'INVALID_MEMBER_INPUT', 'cardNumber'],
        ],
      );
  });

  it('keeps the first of two rows with one employee or card number (case-insensitive cards)', () => {
    given()
      .when([
        row(1),
        row(2, { employeeNo: ' E1 ' }),
        row(3, { cardNumber: 'c1' }),
        row(4, { employeeNo: 'E4', cardNumber: 'C4' }),
      ])
      .then(
        [1, 4],
        [
          [2, 'DUPLICATE_IN_FILE', 'employeeNo'],
          [3, 'DUPLICATE_IN_FILE', 'cardNumber'],
        ],
      );
  });

  it('a refused row does not hold its numbers: a later good row may use them', () => {
    given()
      .when([row(1, { joinedOn: '2030-01-01' }), row(2, { employeeNo: 'E1', cardNumber: 'C1' })])
      .then([2], [[1, 'DATE_IN_FUTURE', 'joinedOn']]);
  });

  it('refuses numbers the tenant or an earlier part of the file already uses, and re-imports', () => {
    given(
      {
        existingMemberIds: new Set(['m-1']),
        employeeNosInUse: new Set(['E2']),
        cardNumbersInUse: new Set(['C3']),
      },
      { earlier: { employeeNos: new Set(['E4']), cardNumbers: new Set(['C5']) } },
    )
      .when([row(1), row(2), row(3), row(4), row(5), row(6)])
      .then(
        [6],
        [
          [1, 'ALREADY_IMPORTED'],
          [2, 'EMPLOYEE_NUMBER_IN_USE'],
          [3, 'CARD_NUMBER_IN_USE'],
          [4, 'DUPLICATE_IN_FILE', 'employeeNo'],
          [5, 'DUPLICATE_IN_FILE', 'cardNumber'],
        ],
      );
  });

  it('a row imported before holds its numbers for later rows, though the roster lags', () => {
    // the roster (employee numbers in use) has not caught up with the earlier import yet
    given({ ...NO_FACTS, existingMemberIds: new Set(['m-1']) })
      .when([row(1), row(2, { employeeNo: 'E1' }), row(3, { cardNumber: 'c1' }), row(4)])
      .then(
        [4],
        [
          [1, 'ALREADY_IMPORTED'],
          [2, 'DUPLICATE_IN_FILE', 'employeeNo'],
          [3, 'DUPLICATE_IN_FILE', 'cardNumber'],
        ],
      );
  });

  it('refuses the whole import into a union that is not grassroots, or by an outsider', () => {
    given(NO_FACTS, { union: { unionId: TEAM, level: 'SECONDARY_UNIT', status: 'ACTIVE' } })
      .when([row(1)])
      .thenThrows('NOT_A_GRASSROOTS_UNION');
    given(NO_FACTS, { union: { unionId: TEAM, level: 'TEAM', status: 'DISSOLVED' } })
      .when([row(1)])
      .thenThrows('UNION_NOT_ACTIVE');
    given(NO_FACTS, { actsForUnionIds: ['team-2'] })
      .when([row(1)])
      .thenThrows('NOT_AUTHORISED_FOR_UNION');
  });

  it('never puts a row value in a reason (personal data stays out of errors)', () => {
    const decision = given()
      .when([row(1, { gender: '110101199003071234' }), row(2, { joinedOn: '13812345678' })])
      .then(
        [],
        [
          [1, 'UNKNOWN_GENDER', 'gender'],
          [2, 'INVALID_MEMBER_INPUT', 'joinedOn'],
        ],
      );
    const text = JSON.stringify(decision.rejected);
    expect(text).not.toContain('110101199003071234');
    expect(text).not.toContain('13812345678');
  });
});

describe("a command's business date", () => {
  it("is worked out in the rules' zone, once per command and offset", () => {
    // 2025-07-15 17:30 UTC: already the 16th in Beijing, still the 15th at UTC
    const metadata = meta(new Date('2025-07-15T17:30:00Z'));
    expect(today(metadata, RULES)).toBe('2025-07-16');
    expect(today(metadata, { ...RULES, utcOffsetMinutes: 0 })).toBe('2025-07-15');
    expect(today(metadata, RULES)).toBe('2025-07-16');
    // another command, another instant
    expect(today(meta(new Date('2025-07-15T15:59:59Z')), RULES)).toBe('2025-07-15');
  });
});
