import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { decodeLiveChange, LIVE_CHANNEL, type LiveChange } from '@app/read-models';
import { Client } from 'pg';
import type { LiveReadCache } from './live-read-cache';
import { LiveReadFailures, retryDelay } from './live-read-failures';
import { UnionWakes, WatchedUnion, type Poke } from './union-wakes';

/**
 * This process's end of `LISTEN live_changes`: one dedicated session (application role) whose
 * notifications (tenant + ids) wake the matching local subscriptions, which then re-read what
 * their viewer may see. A union's subscriptions are woken together, at most once per coalescing
 * window (UnionWakes), after the shared reads dropped what the change names (LiveReadCache).
 * After a lost connection every subscription is woken once, since notifications sent meanwhile
 * are gone.
 */
export class LiveHub implements OnModuleInit, OnApplicationShutdown {
  private readonly log = new Logger('Live');
  private readonly unions = new Map<string, Map<string, WatchedUnion>>();
  private readonly wakes: UnionWakes;
  private readonly audit = new Map<string, Set<Poke>>();
  private client: Client | undefined;
  private stopped = false;
  private retry: NodeJS.Timeout | undefined;
  private connected: Promise<void> | undefined;
  /** Told of every notified change; `undefined`: notifications may have been missed. */
  private readonly changeListeners = new Set<(change: LiveChange | undefined) => void>();
  notificationsReceived = 0;
  /** Publishers of this process: their changes arrive directly, so their NOTIFYs are skipped. */
  private readonly localOrigins = new Set<string>();
  private readonly undoLocal: (() => void)[] = [];
  /** Notifications skipped because this process had them directly (tests, metrics). */
  echoesSkipped = 0;

  constructor(
    private readonly appUrl: string,
    /** the reads this process's subscribers share; told of every change before they wake */
    readonly reads: LiveReadCache,
    /** at most one wake-up per union in this window (LiveLimits.coalesceMs) */
    coalesceMs: number,
    /** failed live reads: logged once per burst, counted, retried */
    readonly failures = new LiveReadFailures(),
  ) {
    this.wakes = new UnionWakes(coalesceMs);
  }

  /** Starts listening; a database that is not reachable yet is retried, not fatal. */
  async onModuleInit(): Promise<void> {
    try {
      await this.connect();
    } catch (error) {
      this.reconnectLater(error as Error);
    }
  }

  /**
   * Changes published in this process (the followers run here) wake its subscriptions at once,
   * without the NOTIFY round trip and delivery; the same notification coming back is skipped.
   */
  hearDirectly(publisher: {
    origin: string;
    onPublished(listener: (change: LiveChange) => void): () => void;
  }): void {
    this.localOrigins.add(publisher.origin);
    this.undoLocal.push(publisher.onPublished((change) => this.heard(change)));
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.undoLocal.splice(0).forEach((undo) => undo());
    clearTimeout(this.retry);
    this.wakes.stop();
    await this.client?.end().catch(() => undefined);
  }

  /** Wakes `poke` when the roll-ups of this union (its subtree) change, at most once a window. */
  watchUnion(tenantId: string, unionId: string, poke: Poke): () => void {
    let byUnion = this.unions.get(tenantId);
    if (!byUnion) this.unions.set(tenantId, (byUnion = new Map<string, WatchedUnion>()));
    let watched = byUnion.get(unionId);
    if (!watched) byUnion.set(unionId, (watched = new WatchedUnion()));
    watched.pokes.add(poke);
    return () => {
      watched.pokes.delete(poke);
      watched.retrying.delete(poke);
      if (watched.pokes.size === 0 && byUnion.get(unionId) === watched) byUnion.delete(unionId);
      if (byUnion.size === 0 && this.unions.get(tenantId) === byUnion) {
        this.unions.delete(tenantId);
        this.reads.forget(tenantId);
      }
    };
  }

  /**
   * The read of a union's subscription failed (not its own error): wake it again after a backoff
   * (`attempt`: its failed reads in a row), together with the others that failed with it.
   */
  retryUnion(tenantId: string, unionId: string, poke: Poke, attempt: number): void {
    const watched = this.unions.get(tenantId)?.get(unionId);
    if (watched?.pokes.has(poke)) this.wakes.retry(watched, poke, retryDelay(attempt));
  }

  /** Wakes `poke` whenever the tenant's audit chain or audit index moves. */
  watchAudit(tenantId: string, poke: Poke): () => void {
    let pokes = this.audit.get(tenantId);
    if (!pokes) this.audit.set(tenantId, (pokes = new Set()));
    pokes.add(poke);
    return () => {
      pokes.delete(poke);
      if (pokes.size === 0) this.audit.delete(tenantId);
    };
  }

  /** Every change notified (the response cache forgets that tenant's answers); returns the undo. */
  onChange(listener: (change: LiveChange | undefined) => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  /** Subscriptions currently registered in this process (tests, metrics). */
  watching(): number {
    let n = 0;
    this.unions.forEach((byUnion) => byUnion.forEach((watched) => (n += watched.pokes.size)));
    this.audit.forEach((pokes) => (n += pokes.size));
    return n;
  }

  /** Union wake-ups scheduled for later (tests). */
  pendingWakes(): number {
    return this.wakes.pending();
  }

  /** Applies a change as if it had been notified (also used for what the process sees itself). */
  dispatch(change: LiveChange): void {
    this.reads.changed(change);
    switch (change.kind) {
      case 'unions': {
        const byUnion = this.unions.get(change.tenantId);
        if (!byUnion) return;
        const watched = change.unionIds.map((id) => byUnion.get(id));
        this.wakes.wake(watched.filter((w) => w !== undefined));
        return;
      }
      case 'allUnions':
        this.wakes.wake(this.unions.get(change.tenantId)?.values() ?? []);
        return;
      case 'audit':
        this.audit.get(change.tenantId)?.forEach((poke) => poke());
        return;
    }
  }

  /** A change told (notified or published here); `undefined`: something may have been missed. */
  private heard(change: LiveChange | undefined): void {
    this.changeListeners.forEach((listener) => listener(change));
    if (change) this.dispatch(change);
  }

  private pokeEverything(): void {
    this.reads.forget();
    this.unions.forEach((byUnion) => this.wakes.wake(byUnion.values()));
    this.audit.forEach((pokes) => pokes.forEach((p) => p()));
  }

  private connect(): Promise<void> {
    this.connected ??= (async () => {
      const client = new Client({ connectionString: this.appUrl, application_name: 'union-live' });
      client.on('notification', (message) => {
        if (message.channel !== LIVE_CHANNEL) return;
        this.notificationsReceived += 1;
        const change = decodeLiveChange(message.payload);
        if (change?.origin !== undefined && this.localOrigins.has(change.origin)) {
          this.echoesSkipped += 1;
          return;
        }
        this.heard(change ?? undefined);
      });
      const lost = (error: Error) => {
        if (this.client !== client) return;
        this.client = undefined;
        client.end().catch(() => undefined);
        this.reconnectLater(error);
      };
      client.on('error', lost);
      client.on('end', () => lost(new Error('connection ended')));
      try {
        await client.connect();
        await client.query(`LISTEN ${LIVE_CHANNEL}`);
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
      this.client = client;
    })().finally(() => {
      this.connected = undefined;
    });
    return this.connected;
  }

  private reconnectLater(error: Error): void {
    if (this.stopped || this.retry) return;
    this.log.warn(`LISTEN connection lost (${error.message}); reconnecting in 1 s`);
    this.retry = setTimeout(() => {
      this.retry = undefined;
      this.connect().then(
        () => {
          this.changeListeners.forEach((listener) => listener(undefined));
          this.pokeEverything();
        },
        (e: Error) => this.reconnectLater(e),
      );
    }, 1_000);
  }
}
