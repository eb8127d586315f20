import {
  StreamNotFoundError,
  WrongExpectedVersionError,
  type AppendStreamRequest,
  type AppendStreamState,
  type EventData,
  type KurrentDBClient,
  type Position,
  type RecordedEvent,
} from '@kurrent/kurrentdb-client';

type Stored = RecordedEvent & { position: Position };

interface ReadOptions {
  fromRevision?: 'start' | 'end' | bigint;
  fromPosition?: 'start' | 'end' | Position;
  maxCount?: number | bigint;
  direction?: 'forwards' | 'backwards';
  filter?: { prefixes?: string[] };
}

/**
 * A test double of the parts of KurrentDBClient the adapter uses, written from KurrentDB's
 * documented behaviour (revisions from 0; one commit position per append, a prepare position
 * per event; reads from a position are inclusive; WrongExpectedVersionError /
 * StreamNotFoundError; a retried append with the same event ids is answered with the first
 * write's revisions and no position). It tests the adapter's logic, not the server: the real
 * server suite is kurrent-event-store.int-spec.ts with KURRENTDB_URL.
 */
export class FakeKurrentClient {
  private readonly streams = new Map<string, Stored[]>();
  private readonly log: Stored[] = [];
  private next = 1000n;
  clock = () => new Date();

  asClient(): KurrentDBClient {
    return this as unknown as KurrentDBClient;
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }

  appendToStream(
    name: string,
    events: EventData | EventData[],
    options: { streamState?: AppendStreamState } = {},
  ) {
    const list = Array.isArray(events) ? events : [events];
    const stream = this.streams.get(name) ?? [];
    const state = options.streamState ?? 'any';
    const from = typeof state === 'bigint' ? Number(state) + 1 : state === 'no_stream' ? 0 : -1;
    const replay = this.replayed(stream, list, from);
    if (replay !== undefined) {
      return Promise.resolve({ success: true, nextExpectedRevision: replay, position: undefined });
    }
    this.check(name, stream, state);
    const [position] = this.write([{ streamName: name, events: list, expectedState: state }]);
    return Promise.resolve({
      success: true,
      nextExpectedRevision: BigInt(this.streams.get(name)!.length - 1),
      position,
    });
  }

  multiStreamAppend(requests: AppendStreamRequest[]) {
    for (const r of requests)
      this.check(r.streamName, this.streams.get(r.streamName) ?? [], r.expectedState);
    const [position] = this.write(requests);
    return Promise.resolve({
      position: position!.commit,
      responses: requests.map((r) => ({
        streamName: r.streamName,
        revision: BigInt(this.streams.get(r.streamName)!.length - 1),
      })),
    });
  }

  readStream(name: string, options: ReadOptions = {}) {
    const stream = this.streams.get(name);
    const backwards = options.direction === 'backwards';
    const start =
      options.fromRevision === undefined || options.fromRevision === 'start'
        ? 0
        : options.fromRevision === 'end'
          ? (stream?.length ?? 0) - 1
          : Number(options.fromRevision);
    const picked = backwards
      ? (stream ?? []).slice(0, start + 1).reverse()
      : (stream ?? []).slice(start);
    return yieldAll(stream ? picked.slice(0, Number(options.maxCount ?? 1e9)) : undefined, name);
  }

  readAll(options: ReadOptions = {}) {
    const from = options.fromPosition;
    const prefixes = options.filter?.prefixes ?? [''];
    if (options.direction === 'backwards' && from === 'end') {
      const all = this.log.filter((e) => prefixes.some((p) => e.streamId.startsWith(p)));
      return yieldAll(all.reverse().slice(0, Number(options.maxCount ?? 1e9)), '$all');
    }
    const picked = this.log.filter(
      (e) =>
        (from === undefined ||
          from === 'start' ||
          (from !== 'end' &&
            (e.position.commit > from.commit ||
              (e.position.commit === from.commit && e.position.prepare >= from.prepare)))) &&
        prefixes.some((p) => e.streamId.startsWith(p)),
    );
    return yieldAll(picked.slice(0, Number(options.maxCount ?? 1e9)), '$all');
  }

  /** The revision of the first write, when `events` repeats it (same ids) after `from`. */
  private replayed(stream: Stored[], events: EventData[], from: number): bigint | undefined {
    const ids = events.map((e) => e.id);
    const at = from >= 0 ? from : stream.findIndex((e) => e.id === ids[0]);
    if (at < 0 || at + ids.length > stream.length) return undefined;
    const same = ids.every((id, i) => stream[at + i]!.id === id);
    return same ? BigInt(at + ids.length - 1) : undefined;
  }

  private check(name: string, stream: Stored[], state: AppendStreamState): void {
    const current = stream.length - 1;
    const ok =
      state === 'any' ||
      (state === 'no_stream' && current < 0) ||
      (state === 'stream_exists' && current >= 0) ||
      (typeof state === 'bigint' && BigInt(current) === state);
    if (!ok) {
      throw new WrongExpectedVersionError(undefined, {
        streamName: name,
        expected: state,
        current: current < 0 ? 'no_stream' : BigInt(current),
      });
    }
  }

  private write(requests: AppendStreamRequest[]): Position[] {
    const commit = this.next;
    let prepare = commit;
    const positions: Position[] = [];
    for (const r of requests) {
      const stream = this.streams.get(r.streamName) ?? [];
      this.streams.set(r.streamName, stream);
      for (const e of r.events) {
        const position = { commit, prepare: prepare++ };
        const stored = {
          streamId: r.streamName,
          id: e.id,
          isJson: true,
          revision: BigInt(stream.length),
          type: e.type,
          created: this.clock(),
          data: e.data,
          metadata: e.metadata,
          position,
        } as Stored;
        stream.push(stored);
        this.log.push(stored);
        positions.push(position);
      }
    }
    this.next = prepare + 100n;
    return positions.length ? [positions.at(-1)!] : [];
  }
}

async function* yieldAll(events: Stored[] | undefined, name: string) {
  await Promise.resolve();
  if (!events) throw new StreamNotFoundError(undefined, name);
  for (const event of events) yield { event };
}
