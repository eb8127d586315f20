import { SingleBar } from 'cli-progress';
import type { EventStore } from '@app/event-store';
import type { LargeTenant, StreamBatch } from './generate-large-tenant';

export interface WriteOptions {
  /** A progress bar on stderr (events done / total, events/s, ETA); default true. */
  readonly progress?: boolean;
  /** The actor recorded on every event; default 'system:seed-large'. */
  readonly actor?: string;
}

export interface WriteReport {
  readonly events: number;
  readonly batches: number;
  readonly seconds: number;
  readonly eventsPerSecond: number;
  /** Global position of the last event written. */
  readonly lastPosition: number;
}

/**
 * Appends the tenant through the event store, one appendToStreams call (one round trip, one
 * transaction) per batch, strictly in order; the next batch is built while the previous one is
 * in flight.
 */
export async function writeLargeTenant(
  store: EventStore,
  tenant: LargeTenant,
  options: WriteOptions = {},
): Promise<WriteReport> {
  const total = tenant.counts.events;
  const bar =
    options.progress === false
      ? undefined
      : new SingleBar({
          format:
            'seed {bar} {percentage}% | {value}/{total} events | {speed} ev/s | ETA {eta_formatted} | {phase}',
          hideCursor: true,
          etaBuffer: 50,
        });
  bar?.start(total, 0, { speed: 0, phase: '' });
  const metadata = { actor: options.actor ?? 'system:seed-large' };
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  let events = 0;
  let batches = 0;
  let lastPosition = 0;
  const send = async (batch: StreamBatch) => {
    const result = await store.appendToStreams(tenant.tenantId, batch.appends, { metadata });
    lastPosition = result.position;
    events += batch.events;
    batches += 1;
    bar?.update(events, {
      speed: Math.round(events / Math.max(elapsed(), 0.001)),
      phase: batch.phase,
    });
  };
  try {
    const source = tenant.batches();
    let next = await source.next();
    while (!next.done) {
      const inFlight = send(next.value);
      inFlight.catch(() => undefined); // awaited below; this only keeps it from being "unhandled"
      next = await source.next();
      await inFlight;
    }
  } finally {
    bar?.stop();
  }
  if (events !== total)
    throw new Error(`seed wrote ${events} events, the plan counted ${total}: generator bug`);
  const seconds = elapsed();
  return { events, batches, seconds, eventsPerSecond: events / seconds, lastPosition };
}
