import { addMonthsToPeriod, type Event, type IsoDate, type Period } from '@app/core';
import type { UnionLevel } from '@app/unions';
import { brigadeName, groupName, personName, teamName, unitName } from './names';
import { apportion, type Prng } from './prng';

export interface UnionPlan {
  readonly index: number;
  readonly id: string;
  readonly name: string;
  readonly level: UnionLevel;
  /** Index of the parent union, -1 for the company. */
  readonly parent: number;
  readonly establishedOn: IsoDate;
  readonly children: number[];
  /** Member indices whose union this is (grassroots unions only). */
  readonly members: number[];
  /** Expected share of women on this union's roll. */
  femaleShare: number;
  /** Committee, chair, organiser, group leader… (filled by the governance plan). */
  governance: Event[];
}

export interface MemberPlan {
  readonly index: number;
  readonly id: string;
  readonly union: number;
  readonly female: boolean;
  readonly name: string;
  readonly employeeNo: string;
  readonly cardNumber: string;
  readonly joinedOn: IsoDate;
  /** -1: imported from the previous registry; else the window month it joined (applied, approved). */
  readonly joinMonth: number;
  readonly retainedAtImport: boolean;
  /** Internal early retirement at import: active, dues exempt. */
  readonly exempt: boolean;
  /** Window month of retirement (membership retained), -1 for none. */
  readonly retireMonth: number;
  /** Window month from which no dues are paid any more (= months: pays to the end). */
  readonly arrearsFrom: number;
  readonly wageBaseFen: number;
}

export interface TenantPlan {
  readonly unions: UnionPlan[];
  readonly members: MemberPlan[];
  readonly firstPeriod: Period;
  readonly months: number;
}

export const addDays = (date: IsoDate, days: number): IsoDate =>
  new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

const daysBetween = (a: IsoDate, b: IsoDate): number =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);

const clamp = (x: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, x));

/** Counts of the company's shape at scale 1 (issue 6). */
export const FULL_SIZE = {
  units: 40,
  brigades: 600,
  teams: 5000,
  groups: 10_000,
  members: 250_000,
};

/**
 * The union tree: 1 company, secondary units (a few service branches with teams directly under
 * them), brigades, teams, groups, with log-normal spreads of children and of roll sizes.
 */
export function planUnions(prng: Prng, scale: number, windowStart: IsoDate): UnionPlan[] {
  const unions: UnionPlan[] = [];
  const add = (level: UnionLevel, parent: number, name: string): UnionPlan => {
    const parentPlan = unions[parent];
    const from = parentPlan ? addDays(parentPlan.establishedOn, 30) : '1986-05-01';
    const room = Math.max(1, daysBetween(from, addDays(windowStart, -400)));
    const union: UnionPlan = {
      index: unions.length,
      id: prng.uuid(),
      name,
      level,
      parent,
      establishedOn: parentPlan ? addDays(from, prng.int(0, Math.min(room, 3650))) : from,
      children: [],
      members: [],
      femaleShare: 0,
      governance: [],
    };
    unions.push(union);
    parentPlan?.children.push(union.index);
    return union;
  };
  const count = (n: number, min: number) => Math.max(min, Math.round(n * scale));
  add('COMPANY', -1, '长庆油田分公司工会');

  const unitCount = count(FULL_SIZE.units, 2);
  const services = Math.max(1, Math.round(unitCount * 0.12));
  const units = Array.from({ length: unitCount }, (_, i) => {
    const service = i >= unitCount - services;
    const unitFemale = clamp(0.3 + 0.12 * prng.normal() + (service ? 0.2 : 0), 0.08, 0.75);
    const unit = add(
      'SECONDARY_UNIT',
      0,
      unitName(service ? i - (unitCount - services) : i, service),
    );
    unit.femaleShare = unitFemale;
    return { unit, service };
  });
  const production = units.filter((u) => !u.service).map((u) => u.unit);

  const perUnit = apportion(
    count(FULL_SIZE.brigades, 1),
    production.map(() => prng.logNormal(1, 0.5)),
  );
  const brigades = production.flatMap((unit, u) =>
    Array.from({ length: perUnit[u]! }, (_, k) => add('BRIGADE', unit.index, brigadeName(k + 1))),
  );

  // teams sit under brigades, or directly under units without brigades (service branches)
  const teamParents = [
    ...brigades,
    ...units.map((u) => u.unit).filter((u) => u.children.length === 0),
  ];
  const perParent = apportion(
    count(FULL_SIZE.teams, 2),
    teamParents.map((p) => prng.logNormal(p.level === 'BRIGADE' ? 1 : 6, 0.45)),
  );
  const teams = teamParents.flatMap((parent, p) =>
    Array.from({ length: perParent[p]! }, (_, k) => add('TEAM', parent.index, teamName(k + 1))),
  );

  const groupParents = [...teams, ...brigades];
  const perHolder = apportion(
    count(FULL_SIZE.groups, 1),
    groupParents.map((p) => (p.level === 'TEAM' ? prng.logNormal(1, 0.6) : 0.3)),
  );
  const ordinals = groupParents.map((p) => p.children.length);
  groupParents.forEach((parent, p) => {
    for (let k = 0; k < perHolder[p]!; k++) add('GROUP', parent.index, groupName(++ordinals[p]!));
  });
  return unions;
}

/** The unit a union belongs to (itself for a unit), for the unit's female share. */
function unitOf(unions: readonly UnionPlan[], union: UnionPlan): UnionPlan {
  let u = union;
  while (u.level !== 'SECONDARY_UNIT' && u.parent >= 0) u = unions[u.parent]!;
  return u;
}

/**
 * Members on the grassroots rolls (teams, and brigades' own office staff), with their whole life
 * in the window: imported or joined, retained, exempt, in arrears, wage base.
 */
export function planMembers(
  prng: Prng,
  scale: number,
  unions: UnionPlan[],
  firstPeriod: Period,
  months: number,
): MemberPlan[] {
  const windowStart: IsoDate = `${firstPeriod}-01`;
  const holders = unions.filter((u) => u.level === 'TEAM' || u.level === 'BRIGADE');
  const sizes = apportion(
    Math.max(holders.length, Math.round(FULL_SIZE.members * scale)),
    holders.map((h) => (h.level === 'TEAM' ? prng.logNormal(40, 0.65) : prng.logNormal(12, 0.5))),
  );
  // per-roll share of women around the unit's, normalised so the tenant's expectation is 30 %
  holders.forEach((h) => {
    h.femaleShare = clamp(unitOf(unions, h).femaleShare + 0.08 * prng.normal(), 0.02, 0.9);
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  const mean = holders.reduce((s, h, i) => s + h.femaleShare * sizes[i]!, 0) / total;
  holders.forEach((h) => (h.femaleShare = Math.min(0.95, (h.femaleShare * 0.3) / mean)));

  const members: MemberPlan[] = [];
  holders.forEach((holder, h) => {
    const room = Math.max(1, daysBetween(holder.establishedOn, addDays(windowStart, -1)));
    for (let k = 0; k < sizes[h]!; k++) {
      const index = members.length;
      const female = prng.chance(holder.femaleShare);
      const joinMonth = prng.chance(0.06) ? prng.int(0, months - 1) : -1;
      const joinedOn =
        joinMonth < 0
          ? addDays(holder.establishedOn, prng.int(0, room))
          : `${addMonthsToPeriod(firstPeriod, joinMonth)}-${String(prng.int(5, 20)).padStart(2, '0')}`;
      const retainedAtImport = joinMonth < 0 && prng.chance(0.03);
      const exempt = !retainedAtImport && joinMonth < 0 && prng.chance(0.02);
      const canLeave = !retainedAtImport && !exempt && joinMonth < months - 1;
      const retireMonth = canLeave && prng.chance(0.03) ? prng.int(joinMonth + 1, months - 1) : -1;
      const arrears = canLeave && retireMonth < 0 && joinMonth < months - 12 && prng.chance(0.02);
      members.push({
        index,
        id: prng.uuid(),
        union: holder.index,
        female,
        name: personName(prng, female),
        employeeNo: `E${String(index + 1).padStart(8, '0')}`,
        cardNumber: `GH${String(index + 1).padStart(9, '0')}`,
        joinedOn,
        joinMonth,
        retainedAtImport,
        exempt,
        retireMonth,
        arrearsFrom: arrears ? months - prng.int(6, 12) : months,
        wageBaseFen: Math.round(prng.logNormal(750_000, 0.35)),
      });
      holder.members.push(index);
    }
  });
  return members;
}

/** Status at the end of the window. */
export function finalStatus(m: MemberPlan): 'ACTIVE' | 'RETAINED' {
  return m.retainedAtImport || m.retireMonth >= 0 ? 'RETAINED' : 'ACTIVE';
}

/** Whether the member's dues for window month `month` are deducted by the payroll. */
export function paysIn(m: MemberPlan, month: number, missed: boolean): boolean {
  if (m.retainedAtImport || m.exempt) return false;
  if (m.joinMonth > month) return false;
  if (m.retireMonth >= 0 && month >= m.retireMonth) return false;
  return month < m.arrearsFrom && !missed;
}
