import {
  type Command,
  type CommandMetadata,
  type Decider,
  type Event,
  type IsoDate,
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
    const { state, currentVersion } = await store.aggregateStream(tenantId, streamId, decider);
    const events = decider.decide(await args.build(state, currentVersion), state);
    if (events.length === 0) {
      return { state, version: currentVersion, position: null, duplicate: false };
    }
    const result = await store.appendToStream(tenantId, streamId, events, {
      expectedVersion: expectedVersionOf(currentVersion),
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
