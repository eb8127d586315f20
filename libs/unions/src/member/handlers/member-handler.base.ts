import { createHash } from 'node:crypto';
import {
  dateInZone,
  foldEvents,
  newId,
  type CommandMetadata,
  type EventMetadata,
  type IsoDate,
  type RecordedEvent,
} from '@app/core';
// Type-only: handlers load without the store's Nest module and stay unit-testable.
import type { EventStore, ExpectedVersion, StreamAppend } from '@app/event-store';
import {
  settingsInForce,
  type TenantSettingsState,
} from '../../tenant-settings/tenant-settings.state';
import {
  tenantSettingsDecider,
  tenantSettingsStreamId,
} from '../../tenant-settings/tenant-settings.decider';
import type { TenantSettingsEvent } from '../../tenant-settings/tenant-settings.events';
import {
  REGULATION_MEMBERSHIP_RULES,
  type MemberCommand,
  type MembershipRules,
  type UnionFacts,
} from '../member.commands';
import { memberDecider, memberStreamId } from '../member.decider';
import type { MemberEvent } from '../member.events';
import type { MemberState, ProtectedValue } from '../member.state';
import { memberError } from '../member.errors';
import type { MemberFactsPort } from './member-facts.port';
import type { PersonalDataProtector } from './personal-data.port';

/** What every member command returns. */
export interface MemberOutcome {
  readonly memberId: string;
  /** The member's state after the command (re-read when the command id had been seen before). */
  readonly state: MemberState;
  /** The member stream's version, usable as expectedVersion by the caller. */
  readonly version: number;
  /** Global position of the last event written (of the first run, for a repeated command id). */
  readonly position: number;
  readonly duplicate: boolean;
}

export function isConcurrencyConflict(error: unknown): boolean {
  return (
    error instanceof Error && (error as Error & { code?: unknown }).code === 'CONCURRENCY_CONFLICT'
  );
}

export const expectedVersionOf = (version: number): ExpectedVersion =>
  version === 0 ? 'no_stream' : version;

/** Actor, correlation, causation and request (the store adds the command id itself). */
export function eventMetadata(metadata: CommandMetadata): EventMetadata {
  return {
    actor: metadata.actor,
    ...(metadata.correlationId === undefined ? {} : { correlationId: metadata.correlationId }),
    ...(metadata.causationId === undefined ? {} : { causationId: metadata.causationId }),
    ...(metadata.requestId === undefined ? {} : { requestId: metadata.requestId }),
  };
}

/** Append options for a command: its id (idempotency) and the event metadata. */
export function appendOptions(metadata: CommandMetadata): {
  commandId?: string;
  metadata: EventMetadata;
} {
  return {
    ...(metadata.commandId === undefined ? {} : { commandId: metadata.commandId }),
    metadata: eventMetadata(metadata),
  };
}

/** The last event a command id wrote to a stream already read, if any. */
export function seenCommand(
  events: readonly RecordedEvent[],
  metadata: CommandMetadata,
): RecordedEvent | undefined {
  if (metadata.commandId === undefined) return undefined;
  return events.filter((e) => e.metadata.commandId === metadata.commandId).at(-1);
}

/** The tenant's zone (Asia/Shanghai); not a tenant setting. */
export const TENANT_UTC_OFFSET_MINUTES = REGULATION_MEMBERSHIP_RULES.utcOffsetMinutes;

/** The business date of a decision: the one given, else today in the tenant's zone. */
export const decisionDate = (metadata: CommandMetadata, given?: IsoDate | null): IsoDate =>
  given ?? dateInZone(metadata.now, TENANT_UTC_OFFSET_MINUTES);

/** The membership and dues rules in force on `date`, from the tenant settings stream. */
export async function membershipRulesOn(
  store: EventStore,
  tenantId: string,
  date: IsoDate,
  /** The settings stream's state when the caller read it already (runMemberCommand's withSettings). */
  known?: TenantSettingsState,
): Promise<MembershipRules> {
  const state =
    known ??
    (
      await store.aggregateStream<TenantSettingsState, TenantSettingsEvent>(
        tenantId,
        tenantSettingsStreamId(tenantId),
        tenantSettingsDecider,
      )
    ).state;
  const settings = settingsInForce(state, date);
  return {
    arrearsMonths: settings.arrearsWithdrawalMonths,
    dues: {
      rateBasisPoints: settings.duesRateBasisPoints,
      baseStepFen: settings.duesBaseStepFen,
    },
    utcOffsetMinutes: TENANT_UTC_OFFSET_MINUTES,
  };
}

/**
 * The id of an aggregate a command creates: the one given, else derived from the command id (so
 * a retried command addresses the same stream and is recognised), else a fresh one.
 */
export function idForCommand(
  metadata: CommandMetadata,
  given: string | undefined,
  purpose: string,
): string {
  if (given !== undefined) return given;
  if (metadata.commandId === undefined) return newId();
  return derivedId(metadata.tenantId, purpose, metadata.commandId);
}

/** A stable id for (tenant, purpose, key): the same inputs always name the same aggregate. */
export function derivedId(tenantId: string, purpose: string, key: string): string {
  const hex = createHash('sha256').update(`${tenantId}\u0000${purpose}\u0000${key}`).digest('hex');
  // RFC 9562 version 8 (custom) layout
  const variant = ((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const unionOfMember = (state: MemberState): string | null =>
  state.status === 'NONE' ? null : state.unionId;

/** What an officer decision on a member carries: the rules that day and the actor's reach. */
export async function officerData(
  store: EventStore,
  facts: MemberFactsPort,
  metadata: CommandMetadata,
  state: MemberState,
  on: IsoDate,
  settings?: TenantSettingsState,
): Promise<{ rules: MembershipRules; actsForUnionIds: string[] }> {
  const unionId = unionOfMember(state);
  const [rules, actsForUnionIds] = await Promise.all([
    membershipRulesOn(store, metadata.tenantId, on, settings),
    unionId === null
      ? Promise.resolve<string[]>([])
      : facts.actsFor(metadata.tenantId, metadata.actor, [unionId]),
  ]);
  return { rules, actsForUnionIds };
}

/** The union as the member decider sees it; an unknown union stops the command. */
export async function grassrootsUnionFacts(
  facts: MemberFactsPort,
  tenantId: string,
  unionId: string,
): Promise<UnionFacts> {
  const union = await facts.union(tenantId, unionId);
  if (union.status === 'NOT_FOUND') throw memberError('UNION_NOT_FOUND');
  return { unionId: union.unionId, level: union.level, status: union.status };
}

/** Encrypts an optional personal value under the member's key. */
export async function protectPersonalValue(
  protector: PersonalDataProtector,
  tenantId: string,
  memberId: string,
  plaintext: string | null | undefined,
): Promise<ProtectedValue | null> {
  const value = plaintext?.trim() ?? '';
  return value === '' ? null : protector.protect(tenantId, memberId, value);
}

export interface MemberCommandRun {
  readonly store: EventStore;
  readonly metadata: CommandMetadata;
  readonly memberId: string;
  /**
   * The tenant settings stream is read with the member's, in one round trip, and handed to build
   * (commands that decide under the rules in force: officerData).
   */
  readonly withSettings?: boolean;
  /** Turns the member's state into the decider's command, resolving facts. */
  readonly build: (state: MemberState, settings?: TenantSettingsState) => Promise<MemberCommand>;
  /** Other streams written in the same transaction, from the decided events (e.g. a card number). */
  readonly alongside?: (events: readonly MemberEvent[]) => StreamAppend[];
}

/**
 * Load → decide → append with the expected version and the command id. A command id already on
 * the stream returns the first result without deciding again. On a concurrency conflict the whole
 * load-build-decide runs once more: every member decision is re-judged against the newer state.
 */
export async function runMemberCommand(run: MemberCommandRun): Promise<MemberOutcome> {
  try {
    return await attemptMemberCommand(run);
  } catch (error) {
    if (isConcurrencyConflict(error)) return attemptMemberCommand(run);
    throw error;
  }
}

async function attemptMemberCommand(run: MemberCommandRun): Promise<MemberOutcome> {
  const { store, metadata, memberId } = run;
  const { tenantId } = metadata;
  const streamId = memberStreamId(memberId);
  const reads = run.withSettings
    ? await store.readStreams(tenantId, [streamId, tenantSettingsStreamId(tenantId)])
    : [await store.readStream(tenantId, streamId)];
  const read = reads[0]!;
  const settingsRead = reads[1];
  const settings =
    settingsRead &&
    foldEvents(
      tenantSettingsDecider,
      settingsRead.events.map((e) => ({ type: e.type, data: e.data }) as TenantSettingsEvent),
    );
  const state = foldEvents(
    memberDecider,
    read.events.map((e) => ({ type: e.type, data: e.data }) as MemberEvent),
  );
  const version = read.currentVersion;
  const seen = seenCommand(read.events, metadata);
  if (seen) return { memberId, state, version, position: seen.globalPosition, duplicate: true };

  const events = memberDecider.decide(await run.build(state, settings), state);
  if (events.length === 0) throw new Error(`member decider produced no event on ${streamId}`);
  const others = run.alongside?.(events) ?? [];
  const options = appendOptions(metadata);
  let position: number;
  let nextVersion: number;
  let duplicate: boolean;
  if (others.length === 0) {
    const result = await store.appendToStream(tenantId, streamId, events, {
      ...options,
      expectedVersion: expectedVersionOf(version),
    });
    ({ position, nextVersion, duplicate } = result);
  } else {
    const result = await store.appendToStreams(
      tenantId,
      // The member stream last: the result's position is its last event's, as for a single append.
      [...others, { streamId, events, expectedVersion: expectedVersionOf(version) }],
      options,
    );
    position = result.position;
    duplicate = result.duplicate;
    nextVersion = result.streams.find((s) => s.streamId === streamId)?.nextVersion ?? version;
  }
  if (duplicate) {
    // The command id was recorded elsewhere (a racing twin): report the first result.
    const again = await store.aggregateStream(tenantId, streamId, memberDecider);
    return { memberId, state: again.state, version: again.currentVersion, position, duplicate };
  }
  const after = events.reduce((s, e) => memberDecider.evolve(s, e), state);
  return { memberId, state: after, version: nextVersion, position, duplicate: false };
}
