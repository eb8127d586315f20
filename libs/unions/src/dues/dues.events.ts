import type { Event, IsoDate, Period } from '@app/core';

/** Dues events live on the member stream (`member-<id>`): one ledger per member, whatever the source. */
export type DuesPaid = Event<
  'DuesPaid',
  {
    memberId: string;
    /** The union the member counted on when paying: dues reports roll up from it. */
    unionId: string;
    period: Period;
    wageBaseFen: number;
    expectedFen: number;
    amountFen: number;
    paidOn: IsoDate;
    source: 'PAYMENT' | 'PAYROLL';
  }
>;

/** The only way to record a period a second time. */
export type DuesPaymentCorrected = Event<
  'DuesPaymentCorrected',
  {
    memberId: string;
    unionId: string;
    period: Period;
    wageBaseFen: number;
    expectedFen: number;
    amountFen: number;
    previousAmountFen: number;
    correctedOn: IsoDate;
    reason: string;
  }
>;

/** A payroll import's summary, on `dues-payroll-<unionId>-<period>`; the rows are DuesPaid events. */
export type DuesPayrollImported = Event<
  'DuesPayrollImported',
  {
    unionId: string;
    period: Period;
    paidOn: IsoDate;
    rows: number;
    accepted: number;
    rejected: number;
    totalFen: number;
  }
>;
