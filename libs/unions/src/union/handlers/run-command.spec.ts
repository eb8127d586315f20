import type { Event, EventMetadata, RecordedEvent } from '@app/core';
import type { AppendOptions, AppendResult, EventStore, ExpectedVersion } from '@app/event-store';
import { committeeForm, established, metadata, UNION_ID } from '../union.fixtures';
import { unionDecider, unionStreamId } from '../union.decider';
import type { UnionCommand } from '../union.commands';
import { runCommand } from './run-command';

/** Just enough of the EventStore port for the runner: one stream, versions, command ids. */
class MemoryStore {
  events: RecordedEvent[] = [];
  conflictsToRaise = 0;
  appends = 0;

  readStream<E extends Event>(_tenant: string, streamId: string) {
    const events = this.events.filter((e) => e.streamId === streamId) as RecordedEvent<E>[];
    return Promise.resolve({
      currentVersion: events.length,
      streamExists: events.length > 0,
      events,
    });
  }

  aggregateStream() {
    return Promise.reject(new Error('not used by the runner for reads'));
  }

  appendToStream(
    tenantId: string,
    streamId: string,
    events: readonly Event[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    this.appends += 1;
    const current = this.events.filter((e) => e.streamId === streamId).length;
    if (this.conflictsToRaise > 0) {
      this.conflictsToRaise -= 1;
      // A concurrent writer got there first.
      this.events.push(this.record(tenantId, streamId, committeeForm(), current + 1, {}));
      return Promise.reject(Object.assign(new Error('conflict'), { code: 'CONCURRENCY_CONFLICT' }));
    }
    const expected: ExpectedVersion | undefined = options.expectedVersion;
    if (expected !== undefined && expected !== (current === 0 ? 'no_stream' : current)) {
      return Promise.reject(Object.assign(new Error('conflict'), { code: 'CONCURRENCY_CONFLICT' }));
    }
    events.forEach((e, i) =>
      this.events.push(this.record(tenantId, streamId, e, current + i + 1, options.metadata ?? {})),
    );
    return Promise.resolve({
      nextVersion: current + events.length,
      position: this.events.length,
      transactionId: '1',
      duplicate: false,
    });
  }

  private record(
    tenantId: string,
    streamId: string,
    e: Event,
    version: number,
    meta: EventMetadata,
  ): RecordedEvent {
    return {
      type: e.type,
      data: e.data,
      metadata: meta,
      eventId: `ev-${this.events.length + 1}`,
      tenantId,
      streamId,
      streamVersion: version,
      globalPosition: this.events.length + 1,
      transactionId: '1',
      recordedAt: new Date(0),
    };
  }
}

const meeting = (heldOn: string): UnionCommand => ({
  type: 'RecordCommitteeMeeting',
  metadata,
  data: { heldOn, recordedOn: '2025-03-01' },
});

function setup(): { memory: MemoryStore; store: EventStore } {
  const memory = new MemoryStore();
  memory.events.push({
    ...established(),
    metadata: {},
    eventId: 'ev-0',
    tenantId: 'tenant-1',
    streamId: unionStreamId(UNION_ID),
    streamVersion: 1,
    globalPosition: 1,
    transactionId: '1',
    recordedAt: new Date(0),
  });
  return { memory, store: memory as unknown as EventStore };
}

describe('runCommand', () => {
  const run = (
    store: EventStore,
    command: UnionCommand,
    retryOnConflict = true,
    commandId = 'cmd-1',
  ) =>
    runCommand({
      store,
      decider: unionDecider,
      metadata: { ...metadata, commandId },
      streamId: unionStreamId(UNION_ID),
      build: () => command,
      retryOnConflict,
    });

  it('appends the decided events with the expected version, actor and command id', async () => {
    const { memory, store } = setup();
    await expect(
      run(store, {
        type: 'DissolveUnion',
        metadata,
        data: {
          reason: 'UNIT_REVOKED',
          adminDecisionRef: 'x',
          dissolvedOn: '2025-01-01',
          activeMembers: 0,
          activeChildUnions: 0,
        },
      }),
    ).resolves.toMatchObject({
      version: 2,
      position: 2,
      duplicate: false,
      state: { status: 'DISSOLVED' },
    });
    expect(memory.events.at(-1)?.metadata).toEqual({ actor: 'user-officer', commandId: 'cmd-1' });
  });

  it('returns the first result for a repeated command id, deciding nothing', async () => {
    const { memory, store } = setup();
    const dissolve: UnionCommand = {
      type: 'DissolveUnion',
      metadata,
      data: {
        reason: 'UNIT_REVOKED',
        adminDecisionRef: 'x',
        dissolvedOn: '2025-01-01',
        activeMembers: 0,
        activeChildUnions: 0,
      },
    };
    await run(store, dissolve);
    // Re-deciding would throw UNION_ALREADY_DISSOLVED; the command id short-circuits it.
    await expect(run(store, dissolve)).resolves.toMatchObject({ duplicate: true, position: 2 });
    expect(memory.appends).toBe(1);
  });

  it('retries once on a concurrency conflict, re-deciding on the new state', async () => {
    const { memory, store } = setup();
    memory.conflictsToRaise = 1;
    await expect(run(store, meeting('2025-02-01'))).rejects.toMatchObject({ code: 'NO_COMMITTEE' });
    expect(memory.appends).toBe(0);
  });

  it('does not retry when told not to, and surfaces the conflict', async () => {
    const { memory, store } = setup();
    memory.conflictsToRaise = 2;
    const dissolve: UnionCommand = {
      type: 'DissolveUnion',
      metadata,
      data: {
        reason: 'UNIT_REVOKED',
        adminDecisionRef: 'x',
        dissolvedOn: '2025-01-01',
        activeMembers: 0,
        activeChildUnions: 0,
      },
    };
    await expect(run(store, dissolve, false)).rejects.toMatchObject({
      code: 'CONCURRENCY_CONFLICT',
    });
    memory.conflictsToRaise = 1;
    await expect(run(store, dissolve, true, 'cmd-2')).resolves.toMatchObject({
      version: 4,
      duplicate: false,
    });
  });
});
