import { foldEvents, type Decider, type Event } from '@app/core';
import type { AggregateStreamResult, EventStore, ReadStreamOptions } from './event-store.port';

/** `aggregateStream` for any adapter: reads the stream through its `readStream` and folds it. */
export async function aggregateFromStream<S, E extends Event>(
  store: Pick<EventStore, 'readStream'>,
  tenantId: string,
  streamId: string,
  decider: Pick<Decider<S, never, E>, 'evolve' | 'initialState'>,
  options: ReadStreamOptions = {},
): Promise<AggregateStreamResult<S>> {
  const { events, currentVersion, streamExists } = await store.readStream<E>(
    tenantId,
    streamId,
    options,
  );
  const state = foldEvents(
    decider,
    events.map((e) => ({ type: e.type, data: e.data }) as E),
  );
  // a read bounded by toVersion/until reports the version it stopped at
  const version =
    options.toVersion !== undefined || options.until !== undefined
      ? (events.at(-1)?.streamVersion ?? 0)
      : currentVersion;
  return { state, currentVersion: version, streamExists };
}
