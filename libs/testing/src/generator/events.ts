import { addMonthsToPeriod, type Event } from '@app/core';
import type { StreamAppend } from '@app/event-store';
import {
  cardNumberStreamId,
  duesPayrollStreamId,
  expectedDuesFen,
  memberStreamId,
  NATIONAL_DUES_RULES,
  tenantSettingsStreamId,
  unionStreamId,
  type CardNumberReserved,
  type DuesPaid,
  type DuesPayrollImported,
  type MemberImported,
  type MembershipApplied,
  type MembershipApproved,
  type MembershipRetained,
  type TenantSettingsProvisioned,
  type UnionEstablished,
} from '@app/unions';
import { finalStatus, paysIn, type MemberPlan, type TenantPlan } from './plan';
import { hashUnit } from './prng';

/** Streams appended together, atomically (one payroll import, one member and their card…). */
export interface StreamGroup {
  readonly phase: string;
  readonly appends: StreamAppend[];
}

/** Share of member-months a payroll misses once (sick leave, unpaid leave): short streaks only. */
const ONE_OFF_MISS = 0.004;

export const missedOnce = (seed: number, member: number, month: number): boolean =>
  hashUnit(seed, member, month) < ONE_OFF_MISS;

/** Wage base in the window's n-th month: +3 % a year. */
const wageIn = (m: MemberPlan, month: number) =>
  Math.round(m.wageBaseFen * (1 + 0.03 * Math.floor(month / 12)));

const gender = (m: MemberPlan) => (m.female ? 'FEMALE' : 'MALE');

/** Months bucketed: who joins, who retires in each month of the window. */
function byMonth(plan: TenantPlan, month: (m: MemberPlan) => number): MemberPlan[][] {
  const out: MemberPlan[][] = Array.from({ length: plan.months }, () => []);
  for (const m of plan.members) if (month(m) >= 0) out[month(m)]!.push(m);
  return out;
}

/**
 * The tenant's history in the order it happened: settings, the union tree (parents first), the
 * members imported from the previous registry, committees and officers, then month by month the
 * joiners, the retirements and one payroll import per grassroots union.
 */
export function* tenantGroups(
  tenantId: string,
  plan: TenantPlan,
  seed: number,
): Generator<StreamGroup> {
  const { unions, members, firstPeriod, months } = plan;
  const memberVersion = new Int32Array(members.length);
  const unionVersion = new Int32Array(unions.length);
  const memberAppend = (m: MemberPlan, events: Event[]): StreamAppend => {
    const expectedVersion = memberVersion[m.index]!;
    memberVersion[m.index] = expectedVersion + events.length;
    return { streamId: memberStreamId(m.id), events, expectedVersion };
  };
  const cardAppend = (m: MemberPlan): StreamAppend => ({
    streamId: cardNumberStreamId(m.cardNumber),
    events: [
      {
        type: 'CardNumberReserved',
        data: { cardNumber: m.cardNumber, memberId: m.id, generated: false },
      } satisfies CardNumberReserved,
    ],
    expectedVersion: 0,
  });

  const provisioned: TenantSettingsProvisioned = {
    type: 'TenantSettingsProvisioned',
    data: { tenantId, preset: 'ENTERPRISE_REGULATION', provisionedOn: '1986-05-01' },
  };
  yield {
    phase: 'settings',
    appends: [
      { streamId: tenantSettingsStreamId(tenantId), events: [provisioned], expectedVersion: 0 },
    ],
  };

  for (const u of unions) {
    const established: UnionEstablished = {
      type: 'UnionEstablished',
      data: {
        unionId: u.id,
        name: u.name,
        level: u.level,
        parentId: u.parent >= 0 ? unions[u.parent]!.id : null,
        establishedOn: u.establishedOn,
      },
    };
    unionVersion[u.index] = 1;
    yield {
      phase: 'unions',
      appends: [{ streamId: unionStreamId(u.id), events: [established], expectedVersion: 0 }],
    };
  }

  const importedOn = `${addMonthsToPeriod(firstPeriod, -1)}-28`;
  for (const m of members) {
    if (m.joinMonth >= 0) continue;
    const imported: MemberImported = {
      type: 'MemberImported',
      data: {
        memberId: m.id,
        unionId: unions[m.union]!.id,
        name: m.name,
        gender: gender(m),
        employeeNo: m.employeeNo,
        nationalId: null,
        phone: null,
        joinedOn: m.joinedOn,
        cardNumber: m.cardNumber,
        cardNumberGenerated: false,
        status: m.retainedAtImport ? 'RETAINED' : 'ACTIVE',
        duesExempt: m.exempt,
        duesLiableFrom: firstPeriod,
        importedOn,
      },
    };
    yield { phase: 'members', appends: [memberAppend(m, [imported]), cardAppend(m)] };
  }

  for (const u of unions) {
    if (u.governance.length === 0) continue;
    const expectedVersion = unionVersion[u.index]!;
    unionVersion[u.index] = expectedVersion + u.governance.length;
    yield {
      phase: 'governance',
      appends: [{ streamId: unionStreamId(u.id), events: u.governance, expectedVersion }],
    };
  }

  const joiners = byMonth(plan, (m) => m.joinMonth);
  const leavers = byMonth(plan, (m) => m.retireMonth);
  const holders = unions.filter((u) => u.members.length > 0);
  for (let month = 0; month < months; month++) {
    const period = addMonthsToPeriod(firstPeriod, month);
    const phase = `dues ${period}`;
    for (const m of joiners[month]!) {
      const unionId = unions[m.union]!.id;
      const applied: MembershipApplied = {
        type: 'MembershipApplied',
        data: {
          memberId: m.id,
          unionId,
          name: m.name,
          gender: gender(m),
          employeeNo: m.employeeNo,
          nationalId: null,
          phone: null,
          appliedOn: `${period}-01`,
        },
      };
      const approved: MembershipApproved = {
        type: 'MembershipApproved',
        data: {
          memberId: m.id,
          unionId,
          cardNumber: m.cardNumber,
          cardNumberGenerated: false,
          joinedOn: m.joinedOn,
        },
      };
      yield { phase, appends: [memberAppend(m, [applied, approved]), cardAppend(m)] };
    }
    for (const m of leavers[month]!) {
      const retained: MembershipRetained = {
        type: 'MembershipRetained',
        data: {
          memberId: m.id,
          unionId: unions[m.union]!.id,
          retainedOn: `${period}-01`,
          reason: 'RETIREMENT',
          duesExemptFrom: period,
          note: null,
        },
      };
      yield { phase, appends: [memberAppend(m, [retained])] };
    }
    const paidOn = `${period}-25`;
    for (const holder of holders) {
      const appends: StreamAppend[] = [];
      let totalFen = 0;
      for (const i of holder.members) {
        const m = members[i]!;
        if (!paysIn(m, month, missedOnce(seed, i, month))) continue;
        const wageBaseFen = wageIn(m, month);
        const amountFen = expectedDuesFen(wageBaseFen, NATIONAL_DUES_RULES);
        totalFen += amountFen;
        const paid: DuesPaid = {
          type: 'DuesPaid',
          data: {
            memberId: m.id,
            unionId: holder.id,
            period,
            wageBaseFen,
            expectedFen: amountFen,
            amountFen,
            paidOn,
            source: 'PAYROLL',
          },
        };
        appends.push(memberAppend(m, [paid]));
      }
      if (appends.length === 0) continue;
      const summary: DuesPayrollImported = {
        type: 'DuesPayrollImported',
        data: {
          unionId: holder.id,
          period,
          paidOn,
          rows: appends.length,
          accepted: appends.length,
          rejected: 0,
          totalFen,
        },
      };
      appends.push({
        streamId: duesPayrollStreamId(holder.id, period),
        events: [summary],
        expectedVersion: 0,
      });
      yield { phase, appends };
    }
  }
}

export interface TenantCounts {
  readonly unionsByLevel: Record<string, number>;
  readonly members: number;
  readonly active: number;
  readonly activeFemale: number;
  readonly retained: number;
  /** Active members whose last six or more months are unpaid. */
  readonly inArrears: number;
  readonly duesPaid: number;
  readonly events: number;
}

/** What the generator will write, counted from the same rules without building the events. */
export function countTenant(plan: TenantPlan, seed: number): TenantCounts {
  const unionsByLevel: Record<string, number> = {};
  let events = 1 + plan.unions.length;
  for (const u of plan.unions) {
    unionsByLevel[u.level] = (unionsByLevel[u.level] ?? 0) + 1;
    events += u.governance.length;
  }
  let active = 0;
  let activeFemale = 0;
  let inArrears = 0;
  let duesPaid = 0;
  for (const m of plan.members) {
    events += m.joinMonth < 0 ? 2 : 3;
    if (m.retireMonth >= 0) events += 1;
    if (finalStatus(m) === 'ACTIVE') {
      active += 1;
      if (m.female) activeFemale += 1;
      if (!m.exempt && m.arrearsFrom <= plan.months - 6) inArrears += 1;
    }
  }
  for (const u of plan.unions) {
    for (let month = 0; month < plan.months; month++) {
      let paying = 0;
      for (const i of u.members)
        if (paysIn(plan.members[i]!, month, missedOnce(seed, i, month))) paying += 1;
      duesPaid += paying;
      events += paying + (paying > 0 ? 1 : 0);
    }
  }
  return {
    unionsByLevel,
    members: plan.members.length,
    active,
    activeFemale,
    retained: plan.members.length - active,
    inArrears,
    duesPaid,
    events,
  };
}
