import {
  type Command,
  type CommandMetadata,
  type Decider,
  type Event,
  type IsoDate,
  type RecordedEvent,
} from '@app/core';
// Type-only: the runner must load without the store's Nest module (and stays unit-testable).
import type { EventStore, ExpectedVersion } from '@app/event-store';
import {
  settingsInForce,
  type TenantSettingsState,
} from '../../tenant-settings/tenant-settings.state';
import {
  tenantSettingsDecider,
  tenantSettingsStreamId,
} from '../../tenant-settings/tenant-settings.decider';
import type { TenantSettingsEvent } from '../../tenant-settings/tenant-settings.events';
import type { RuleSettings } from '../../tenant-settings/rule-settings';

export interface CommandOutcome<S> {
  /** The state after the command (re-read when the command id had been seen before). */
  readonly state: S;
  /** The stream version, usable as expectedVersion by the caller. */
  readonly version: number;
  /** Global position of the last event written; null when the command changed nothing. */
  readonly position: number | null;
  readonly duplicate: boolean;
}

/** A stored event as the decider's event type (the store keeps `type` and `data` as written). */
function asEvent<E extends Event>(recorded: RecordedEvent<E>): E {
  return { type: recorded.type, data: recorded.data } as E;
}

export function isConcurrencyConflict(error: unknown): boolean {
  return (
    error instanceof Error && (error as Error & { code?: unknown }).code === 'CONCURRENCY_CONFLICT'
  );
}

const expectedVersionOf = (version: number): ExpectedVersion =>
  version === 0 ? 'no_stream' : version;

/**
 * Load → decide → append with the expected version and the command id. `build` turns the current
 * state into the decider's command (resolving facts from other aggregates); on a concurrency
 * conflict the whole load-build-decide runs once more when `retryOnConflict` (safe when the
 * command is re-judged against the new state, as every decider here does).
 */
export async function runCommand<S, C extends Command, E extends Event>(args: {
  store: EventStore;
  decider: Decider<S, C, E>;
  metadata: CommandMetadata;
  streamId: string;
  build: (state: S, version: number) => C | Promise<C>;
  retryOnConflict?: boolean;
}): Promise<CommandOutcome<S>> {
  const { store, decider, metadata, streamId } = args;
  const tenantId = metadata.tenantId;
  const attempt = async (): Promise<CommandOutcome<S>> => {
    const read = await store.readStream<E>(tenantId, streamId);
    const state = read.events.reduce(
      (s, e) => decider.evolve(s, asEvent(e)),
      decider.initialState(),
    );
    const version = read.currentVersion;
    // A command id seen before returns the first result, before re-deciding on the newer state.
    const seen = metadata.commandId
      ? read.events.filter((e) => e.metadata.commandId === metadata.commandId).at(-1)
      : undefined;
    if (seen) return { state, version, position: seen.globalPosition, duplicate: true };
    const events = decider.decide(await args.build(state, version), state);
    if (events.length === 0) return { state, version, position: null, duplicate: false };
    const result = await store.appendToStream(tenantId, streamId, events, {
      expectedVersion: expectedVersionOf(version),
      ...(metadata.commandId === undefined ? {} : { commandId: metadata.commandId }),
      metadata: eventMetadata(metadata),
    });
    if (result.duplicate) {
      const again = await store.aggregateStream(tenantId, streamId, decider);
      return {
        state: again.state,
        version: again.currentVersion,
        position: result.position,
        duplicate: true,
      };
    }
    const after = events.reduce((s, e) => decider.evolve(s, e), state);
    return {
      state: after,
      version: result.nextVersion,
      position: result.position,
      duplicate: false,
    };
  };
  try {
    return await attempt();
  } catch (error) {
    if (args.retryOnConflict && isConcurrencyConflict(error)) return attempt();
    throw error;
  }
}

export function eventMetadata(metadata: CommandMetadata): Record<string, string> {
  const out: Record<string, string> = { actor: metadata.actor };
  if (metadata.commandId !== undefined) out.commandId = metadata.commandId;
  if (metadata.correlationId !== undefined) out.correlationId = metadata.correlationId;
  if (metadata.causationId !== undefined) out.causationId = metadata.causationId;
  if (metadata.requestId !== undefined) out.requestId = metadata.requestId;
  return out;
}

/** The rule settings in force on `date` for the tenant (preset default before provisioning). */
export async function loadSettings(
  store: EventStore,
  tenantId: string,
  date: IsoDate,
): Promise<RuleSettings> {
  const { state } = await store.aggregateStream<TenantSettingsState, TenantSettingsEvent>(
    tenantId,
    tenantSettingsStreamId(tenantId),
    tenantSettingsDecider,
  );
  return settingsInForce(state, date);
}
