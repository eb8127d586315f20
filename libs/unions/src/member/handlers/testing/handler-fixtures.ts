import { randomUUID } from 'node:crypto';
import { DomainError, type CommandMetadata, type Event, type RecordedEvent } from '@app/core';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  MultiAppendResult,
  StreamAppend,
} from '@app/event-store';
import { LOG_START } from '@app/event-store';
import { InMemoryMemberFacts, InMemoryPersonalDataProtector } from './in-memory-member-facts';

/** 2025-07-15 12:00 in Asia/Shanghai. */
export const NOW = new Date('2025-07-15T04:00:00Z');

/**
 * Company C
 * ├── F1 (SECONDARY_UNIT) ── B1 (BRIGADE) ── T1 (TEAM)
 * │                      └── B2 (BRIGADE)
 * └── F2 (SECONDARY_UNIT) ── B3 (BRIGADE)
 * Officers: hq (C), officer-f1, officer-f2, officer-b1, officer-t1, officer-b3.
 */
export function unionTree(facts: InMemoryMemberFacts): InMemoryMemberFacts {
  return facts
    .addUnion('C', 'COMPANY', null)
    .addUnion('F1', 'SECONDARY_UNIT', 'C')
    .addUnion('F2', 'SECONDARY_UNIT', 'C')
    .addUnion('B1', 'BRIGADE', 'F1')
    .addUnion('B2', 'BRIGADE', 'F1')
    .addUnion('T1', 'TEAM', 'B1')
    .addUnion('B3', 'BRIGADE', 'F2')
    .addOfficer('hq', 'C')
    .addOfficer('officer-f1', 'F1')
    .addOfficer('officer-f2', 'F2')
    .addOfficer('officer-b1', 'B1')
    .addOfficer('officer-t1', 'T1')
    .addOfficer('officer-b3', 'B3');
}

export interface HandlerWorld {
  readonly tenantId: string;
  readonly store: CountingStore;
  readonly facts: InMemoryMemberFacts;
  readonly protector: InMemoryPersonalDataProtector;
  /** Metadata for one command: a fresh command id unless one is given. */
  meta(actor: string, commandId?: string): CommandMetadata;
}

export function handlerWorld(realStore: EventStore): HandlerWorld {
  const tenantId = `tenant-${randomUUID()}`;
  const store = new CountingStore(realStore);
  const facts = unionTree(new InMemoryMemberFacts(realStore, tenantId));
  return {
    tenantId,
    store,
    facts,
    protector: new InMemoryPersonalDataProtector(),
    meta: (actor, commandId = randomUUID()) => ({ tenantId, actor, now: NOW, commandId }),
  };
}

/**
 * The real store, counted, with an optional hook run before each multi-stream append (to play a
 * concurrent writer that gets in between a handler's read and its append).
 */
export class CountingStore implements EventStore {
  appendToStreamCalls = 0;
  appendToStreamsCalls = 0;
  /** Reads of the store: single streams (read or aggregated), and several streams at once. */
  readStreamCalls = 0;
  readStreamsCalls = 0;
  beforeAppend: ((appends: readonly StreamAppend[]) => Promise<void>) | null = null;

  constructor(private readonly inner: EventStore) {}

  reset(): void {
    this.appendToStreamCalls = 0;
    this.appendToStreamsCalls = 0;
    this.readStreamCalls = 0;
    this.readStreamsCalls = 0;
  }

  async appendToStream(
    tenantId: string,
    streamId: string,
    events: readonly Event[],
    options?: AppendOptions,
  ): Promise<AppendResult> {
    this.appendToStreamCalls += 1;
    if (this.beforeAppend) await this.beforeAppend([{ streamId, events }]);
    return this.inner.appendToStream(tenantId, streamId, events, options);
  }

  async appendToStreams(
    tenantId: string,
    appends: readonly StreamAppend[],
    options?: Omit<AppendOptions, 'expectedVersion'>,
  ): Promise<MultiAppendResult> {
    this.appendToStreamsCalls += 1;
    if (this.beforeAppend) await this.beforeAppend(appends);
    return this.inner.appendToStreams(tenantId, appends, options);
  }

  checkpointAt: EventStore['checkpointAt'] = (tenantId, position) =>
    this.inner.checkpointAt(tenantId, position);

  readStream: EventStore['readStream'] = (tenantId, streamId, options) => {
    this.readStreamCalls += 1;
    return this.inner.readStream(tenantId, streamId, options);
  };

  readStreams: EventStore['readStreams'] = (tenantId, streamIds) => {
    this.readStreamsCalls += 1;
    return this.inner.readStreams(tenantId, streamIds);
  };

  // a single stream too (read and folded)
  aggregateStream: EventStore['aggregateStream'] = (tenantId, streamId, decider, options) => {
    this.readStreamCalls += 1;
    return this.inner.aggregateStream(tenantId, streamId, decider, options);
  };

  readAll: EventStore['readAll'] = (options) => this.inner.readAll(options);
}

/** Every event of the tenant, in commit order. */
export async function tenantEvents(store: EventStore, tenantId: string): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  let after = LOG_START;
  for (;;) {
    const page = await store.readAll({ after, tenantId, limit: 10_000 });
    events.push(...page.events);
    if (page.events.length === 0) return events;
    after = page.checkpoint;
  }
}

/** The DomainError a command fails with (fails the test when it succeeds or fails otherwise). */
export async function domainError(run: Promise<unknown>): Promise<DomainError> {
  try {
    await run;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected the command to be refused');
}
