import { assertNever, isIsoDate } from '@app/core';
import { committeeErrors } from './committee.errors';
import type { RuleSettings } from '../tenant-settings/rule-settings';
import type { MemberLookup, UnionLookup } from './union.commands';
import { unionErrors as errors } from './union.errors';
import type { ActiveUnion, Committee, GovernanceForm, UnionLevel, UnionState } from './union.state';

/**
 * Art. 2, 5: a child sits exactly one level below its parent, except that a BRIGADE or TEAM may sit
 * directly under a SECONDARY_UNIT or the COMPANY when the enterprise has no intermediate level.
 * Groups belong to a grassroots (BRIGADE or TEAM) union.
 */
export const ALLOWED_PARENT_LEVELS: Readonly<Record<UnionLevel, readonly UnionLevel[]>> = {
  COMPANY: [],
  SECONDARY_UNIT: ['COMPANY'],
  BRIGADE: ['SECONDARY_UNIT', 'COMPANY'],
  TEAM: ['BRIGADE', 'SECONDARY_UNIT', 'COMPANY'],
  GROUP: ['BRIGADE', 'TEAM'],
};

/** Art. 2: the grassroots unions hold the membership roll. */
export function isGrassroots(level: UnionLevel): boolean {
  return level === 'BRIGADE' || level === 'TEAM';
}

export function checkDate(value: string, field: string): void {
  if (!isIsoDate(value)) throw errors.invalidDate(field);
}

export function checkNotBefore(value: string, field: string, notBefore: string): void {
  if (value < notBefore) throw errors.dateOutOfOrder(field, notBefore);
}

/** Names compare after Unicode compatibility folding (全角/半角), trimming and case folding. */
export function normaliseName(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('en');
}

/** The name as stored: trimmed, otherwise as given. */
export function checkName(name: string, siblingNames: readonly string[]): string {
  const trimmed = name.trim();
  if (trimmed === '') throw errors.nameRequired();
  const key = normaliseName(trimmed);
  if (siblingNames.some((s) => normaliseName(s) === key)) throw errors.nameTaken();
  return trimmed;
}

/** The parent must exist, be active and sit at an allowed level (Art. 5). */
export function checkParent(level: UnionLevel, parent: UnionLookup): void {
  if (level === 'COMPANY') throw errors.companyOnlyAtProvisioning();
  if (parent.status === 'NOT_FOUND') throw errors.parentNotFound();
  const allowed = ALLOWED_PARENT_LEVELS[level];
  if (!allowed.includes(parent.level)) {
    throw errors.invalidParentLevel(level, parent.level, allowed);
  }
  if (parent.status !== 'ACTIVE') throw errors.parentNotActive();
}

interface GovernanceInput {
  unionId: string;
  level: UnionLevel;
  form: GovernanceForm;
  jointWith: readonly UnionLookup[];
  organizer: MemberLookup | null;
  activeMembers: number;
  settings: RuleSettings;
}

/** Art. 6 (and Art. 10 for groups). */
export function checkGovernanceForm(input: GovernanceInput): void {
  const { level, form, settings, activeMembers } = input;
  if (level === 'GROUP') throw errors.groupHasNoCommittee();
  if (form === 'NONE') throw errors.formNotAllowed(form);
  if (form !== 'COMMITTEE' && !isGrassroots(level)) throw errors.formNotAllowed(form);
  if (form !== 'COMMITTEE' && activeMembers >= settings.committeeRequiredAtMembers) {
    throw errors.committeeRequired(activeMembers, settings.committeeRequiredAtMembers);
  }
  if (form === 'JOINT_COMMITTEE') checkJointUnits(input);
  if (form === 'ORGANIZER') {
    const organizer = input.organizer;
    if (
      organizer === null ||
      organizer.status !== 'ACTIVE' ||
      organizer.unionId !== input.unionId
    ) {
      throw errors.organizerNotActiveMember();
    }
  }
}

function checkJointUnits({ unionId, jointWith, settings }: GovernanceInput): void {
  const seen = new Set<string>([unionId]);
  for (const unit of jointWith) {
    if (seen.has(unit.unionId)) throw errors.jointUnitInvalid(unit.unionId, 'REPEATED');
    seen.add(unit.unionId);
    if (unit.status === 'NOT_FOUND') throw errors.jointUnitInvalid(unit.unionId, 'NOT_FOUND');
    if (!isGrassroots(unit.level)) throw errors.jointUnitInvalid(unit.unionId, 'NOT_GRASSROOTS');
    if (unit.status !== 'ACTIVE') throw errors.jointUnitInvalid(unit.unionId, 'NOT_ACTIVE');
  }
  // This union counts as one of the units (由两个以上单位的会员联合建立).
  const units = jointWith.length + 1;
  if (units < settings.jointCommitteeMinUnits) {
    throw errors.jointTooFewUnits(units, settings.jointCommitteeMinUnits);
  }
}

export function active(state: UnionState): ActiveUnion {
  switch (state.status) {
    case 'ACTIVE':
      return state;
    case 'NONE':
      throw errors.notFound();
    case 'PENDING_APPROVAL':
    case 'REJECTED':
    case 'DISSOLVED':
      throw errors.notActive();
    default:
      return assertNever(state, 'union state');
  }
}

export function seated(union: ActiveUnion): Committee {
  if (union.committee === null) throw committeeErrors.noCommittee();
  return union.committee;
}

/** An active union and a valid business date not before its establishment. */
export function activeOn(state: UnionState, date: string, field: string): ActiveUnion {
  const union = active(state);
  checkDate(date, field);
  checkNotBefore(date, field, union.establishedOn);
  return union;
}
