import type { Command, IsoDate, Period } from '@app/core';
import type { DuesCalendarRules, DuesPaymentFacts } from './dues.rules';

export interface DuesPayrollRow {
  readonly memberId: string;
  readonly wageBaseFen: number;
  /** When given, must equal the dues computed from the wage base. */
  readonly amountFen?: number | null;
}

/**
 * The compact dues state of one member, read set-based for a whole payroll (never by loading
 * member streams one by one): kept by the dues read model from the member events.
 */
export interface PayrollMemberFacts extends DuesPaymentFacts {
  /** The union the member counts on, and its ancestors (root first, the union itself last). */
  readonly unionPath: readonly string[];
  /** The member stream's version the facts reflect: the expected version of the append. */
  readonly streamVersion: number;
}

/** `importDuesPayroll`: a union's month by payroll deduction, up to hundreds of thousands of rows. */
export type ImportDuesPayroll = Command<
  'ImportDuesPayroll',
  {
    unionId: string;
    period: Period;
    paidOn: IsoDate;
    rows: readonly DuesPayrollRow[];
    /** Facts for the members the rows name; a missing entry means no such member in the tenant. */
    members: ReadonlyMap<string, PayrollMemberFacts>;
    rules: DuesCalendarRules;
    /** Whether the actor may act for `unionId` is resolved by the handler into this list. */
    actsForUnionIds: readonly string[];
  }
>;
