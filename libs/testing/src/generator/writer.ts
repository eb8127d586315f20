import { SingleBar } from 'cli-progress';
import type { EventStore } from '@app/event-store';
import type { LargeTenant, StreamBatch } from './generate-large-tenant';

export interface WriteOptions {
  /** A progress bar on stderr (events done / total, events/s, ETA); default true. */
  readonly progress?: boolean;
  /** The actor recorded on every event; default 'system:seed-large'. */
  readonly actor?: string;
  /** Appends in flight at once (only batches of one phase naming different streams); default 3. */
  readonly concurrency?: number;
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
 * transaction) per batch. Batches of one phase that share no stream may be in flight together
 * (`concurrency`); anything that depends on an earlier batch waits for it to commit.
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
  const concurrency = Math.max(1, options.concurrency ?? 3);
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
  const inFlight: { batch: StreamBatch; done: Promise<void> }[] = [];
  const settle = async () => {
    const oldest = inFlight.shift();
    if (oldest) await oldest.done;
  };
  try {
    for await (const batch of tenant.batches()) {
      const blocked = () =>
        inFlight.length >= concurrency ||
        inFlight.some(
          (f) =>
            !batch.concurrent ||
            !f.batch.concurrent ||
            f.batch.phase !== batch.phase ||
            batch.appends.some((a) => f.batch.streamIds.has(a.streamId)),
        );
      while (inFlight.length > 0 && blocked()) await settle();
      const done = send(batch);
      done.catch(() => undefined); // awaited by settle(); this only keeps it from being "unhandled"
      inFlight.push({ batch, done });
    }
    while (inFlight.length > 0) await settle();
  } finally {
    bar?.stop();
  }
  if (events !== total)
    throw new Error(`seed wrote ${events} events, the plan counted ${total}: generator bug`);
  const seconds = elapsed();
  return { events, batches, seconds, eventsPerSecond: events / seconds, lastPosition };
}
