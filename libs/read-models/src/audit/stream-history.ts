import type { Decider, Event } from '@app/core';
import type { EventStore } from '@app/event-store';
import {
  electionDecider,
  memberDecider,
  tenantSettingsDecider,
  transferDecider,
  unionDecider,
} from '@app/unions';

export interface ReplayStep {
  version: number;
  type: string;
  recordedAt: Date;
  state: unknown;
}

type AnyDecider = Pick<Decider<unknown, never, Event>, 'evolve' | 'initialState'>;

/** Which decider folds a stream, by its category (the stream id's prefix). */
const DECIDERS: [prefix: string, decider: AnyDecider][] = [
  ['tenant-settings-', tenantSettingsDecider],
  ['union-', unionDecider],
  ['member-', memberDecider],
  ['transfer-', transferDecider],
  ['election-', electionDecider],
];

export class UnknownStreamCategoryError extends Error {
  readonly code = 'UNKNOWN_STREAM_CATEGORY';
  constructor(streamId: string) {
    super(
      `No aggregate is known for stream ${streamId}: expected one of ${DECIDERS.map(([p]) => `${p}…`).join(', ')}`,
    );
  }
}

/**
 * The state after each event of one stream, up to a version or a record-time instant: an auditor
 * sees exactly how the registry's view of an aggregate came about, folded by its own decider.
 */
export async function streamHistory(
  store: EventStore,
  tenantId: string,
  streamId: string,
  options: { untilVersion?: number | null; until?: Date | null } = {},
): Promise<ReplayStep[]> {
  const decider = DECIDERS.find(([prefix]) => streamId.startsWith(prefix))?.[1];
  if (!decider) throw new UnknownStreamCategoryError(streamId);
  const { events } = await store.readStream(tenantId, streamId, {
    ...(options.untilVersion != null ? { toVersion: options.untilVersion } : {}),
    ...(options.until ? { until: options.until } : {}),
  });
  const steps: ReplayStep[] = [];
  let state = decider.initialState();
  for (const event of events) {
    state = decider.evolve(state, { type: event.type, data: event.data });
    steps.push({
      version: event.streamVersion,
      type: event.type,
      recordedAt: event.recordedAt,
      state,
    });
  }
  return steps;
}
