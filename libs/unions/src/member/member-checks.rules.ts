import {
  assertNever,
  dateInZone,
  isIsoDate,
  type ArticleRef,
  type CommandMetadata,
  type IsoDate,
} from '@app/core';
import type { MembershipRules } from './member.commands';
import { memberError } from './member.errors';
import type { MemberState, MemberStatus } from './member.state';

const todays = new WeakMap<CommandMetadata, { offset: number; date: IsoDate }>();

/**
 * The business date of the request in the tenant's zone; deciders never read the clock. Worked
 * out once per command (a bulk import asks for it once per row, with the command's metadata).
 */
export function today(metadata: CommandMetadata, rules: MembershipRules): IsoDate {
  const known = todays.get(metadata);
  if (known?.offset === rules.utcOffsetMinutes) return known.date;
  const date = dateInZone(metadata.now, rules.utcOffsetMinutes);
  todays.set(metadata, { offset: rules.utcOffsetMinutes, date });
  return date;
}

/** A valid date that is not after today. */
export function requirePastDate(
  value: string,
  field: string,
  metadata: CommandMetadata,
  rules: MembershipRules,
): IsoDate {
  if (!isIsoDate(value)) throw memberError('INVALID_MEMBER_INPUT', { field });
  if (value > today(metadata, rules)) throw memberError('DATE_IN_FUTURE', { field });
  return value;
}

export function requireNotBefore(
  value: IsoDate,
  field: string,
  reference: IsoDate,
  referenceName: string,
): void {
  if (value < reference)
    throw memberError('DATE_OUT_OF_ORDER', { field, reference: referenceName });
}

/** Trimmed text of 1..max characters (names, references, employee numbers). */
export function requireText(value: string, field: string, max: number): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (trimmed.length === 0 || trimmed.length > max) {
    throw memberError('INVALID_MEMBER_INPUT', { field });
  }
  return trimmed;
}

export function optionalText(
  value: string | null | undefined,
  field: string,
  max: number,
): string | null {
  if (value === null || value === undefined || value.trim() === '') return null;
  return requireText(value, field, max);
}

const CARD_NUMBER = /^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/;

/** Whether a value is a well-formed card number (letters, digits and dashes, up to 32). */
export function isCardNumber(value: string): boolean {
  return typeof value === 'string' && CARD_NUMBER.test(value.trim());
}

export function requireCardNumber(value: string): string {
  const trimmed = typeof value === 'string' ? value.trim() : '';
  if (!CARD_NUMBER.test(trimmed))
    throw memberError('INVALID_MEMBER_INPUT', { field: 'cardNumber' });
  return trimmed;
}

/** The actor must act for the member's union (its committee or a union above it). */
export function requireAuthority(
  actsForUnionIds: readonly string[],
  unionId: string,
  articleRef: ArticleRef,
): void {
  if (!actsForUnionIds.includes(unionId)) {
    throw memberError('NOT_AUTHORISED_FOR_UNION', {}, articleRef);
  }
}

/**
 * Narrows the state to the statuses a command accepts, or throws the error that explains why the
 * command makes no sense in the member's status.
 */
export function requireStatus<S extends MemberStatus>(
  state: MemberState,
  allowed: readonly S[],
  action: string,
): Extract<MemberState, { status: S }> {
  if ((allowed as readonly MemberStatus[]).includes(state.status)) {
    return state as Extract<MemberState, { status: S }>;
  }
  const details = { status: state.status, action };
  switch (state.status) {
    case 'NONE':
      throw memberError('MEMBER_NOT_FOUND', details);
    case 'APPLIED':
      throw memberError('MEMBERSHIP_NOT_APPROVED', details);
    case 'RETAINED':
      throw memberError('MEMBERSHIP_RETAINED', details);
    case 'ACTIVE':
      throw memberError('MEMBERSHIP_NOT_PENDING', details);
    case 'REJECTED':
    case 'WITHDRAWN':
    case 'EXPELLED':
    case 'TRANSFERRED_OUT':
      throw memberError('MEMBERSHIP_ENDED', details);
    default:
      return assertNever(state, 'member state');
  }
}
