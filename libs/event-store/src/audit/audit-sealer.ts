import { silentLog, type LogSink, type RecordedEvent } from '@app/core';
import type { LeaderLock } from '@app/database';
import type { Pool } from 'pg';
import type { EventStore, ReadAllResult } from '../event-store.port';
import { DEFAULT_LINGER_MS, LogFollower } from '../subscription/log-follower';
import { chainHash, GENESIS_HASH } from './canonical';

export const AUDIT_SEALER = 'audit-sealer';

export interface ChainHead {
  tenantId: string;
  sequence: number;
  hash: string;
}

/** What one batch sealed, per tenant (told after the commit). */
export interface SealedBatch {
  readonly tenants: readonly { tenantId: string; lastSequence: number }[];
}
export type SealedListener = (sealed: SealedBatch) => void;

/**
 * Follows the gap-free log and extends each tenant's hash chain: a contiguous tenant_sequence and
 * hash = sha256(prev_hash || canonical(event)), written with the checkpoint in one transaction.
 * Appends are never serialised per tenant for this; the sealer runs behind them.
 */
export class AuditSealer {
  private readonly follower: LogFollower;
  private readonly log: LogSink;
  private lastHeadLog = 0;
  private readonly sealedListeners = new Set<SealedListener>();

  constructor(
    store: EventStore,
    private readonly pool: Pool,
    options: { log?: LogSink; batchSize?: number; leader?: LeaderLock; lingerMs?: number } = {},
  ) {
    this.log = options.log ?? silentLog;
    this.follower = new LogFollower(store, pool, {
      name: AUDIT_SEALER,
      batchSize: options.batchSize ?? 5000,
      handle: (batch) => this.seal(batch),
      // under a steady stream of commits, one sealing transaction per linger, not per commit
      lingerMs: options.lingerMs ?? DEFAULT_LINGER_MS,
      log: this.log,
      leader: options.leader,
    });
  }

  /** Seals the next batch now (tests, CLI); returns the number of events sealed. */
  sealNext(): Promise<number> {
    return this.follower.step();
  }

  /** Seals everything committed before the call. */
  sealAll(): Promise<number> {
    return this.follower.drain();
  }

  /** Called after each sealed batch (live audit streams publish from here); returns the undo. */
  onSealed(listener: SealedListener): () => void {
    this.sealedListeners.add(listener);
    return () => this.sealedListeners.delete(listener);
  }

  start(): void {
    this.follower.start();
  }

  wake(): void {
    this.follower.wake();
  }

  stop(): Promise<void> {
    return this.follower.stop();
  }

  private async seal(batch: ReadAllResult): Promise<void> {
    const tenants = [...new Set(batch.events.map((e) => e.tenantId))];
    const { rows } = await this.pool.query<{
      tenant_id: string;
      tenant_sequence: string;
      hash: Buffer;
    }>('SELECT * FROM audit_heads_for($1)', [tenants]);
    const heads = new Map<string, { sequence: number; hash: Buffer }>(
      rows.map((r) => [r.tenant_id, { sequence: Number(r.tenant_sequence), hash: r.hash }]),
    );
    const links = batch.events.map((event: RecordedEvent) => {
      const head = heads.get(event.tenantId) ?? { sequence: 0, hash: GENESIS_HASH };
      const next = { sequence: head.sequence + 1, hash: chainHash(head.hash, event) };
      heads.set(event.tenantId, next);
      return {
        t: event.tenantId,
        q: next.sequence,
        p: event.globalPosition,
        h: next.hash.toString('hex'),
      };
    });
    try {
      await this.sealLinks(links, batch);
    } catch (error) {
      // another sealer extended these chains first (UE010, or the same sequence taken): nothing lost
      const code = (error as { code?: string }).code;
      if (code === 'UE010' || code === '23505') return;
      throw error;
    }
    const sealed = {
      tenants: tenants.map((tenantId) => ({
        tenantId,
        lastSequence: heads.get(tenantId)!.sequence,
      })),
    };
    for (const listener of this.sealedListeners) {
      try {
        listener(sealed);
      } catch (error) {
        this.log.warn(`sealed listener failed: ${(error as Error).message}`);
      }
    }
    // the chain heads, for anchoring outside the database (at most every 10 s per process)
    if (Date.now() - this.lastHeadLog >= 10_000) {
      this.lastHeadLog = Date.now();
      for (const tenant of tenants) {
        const head = heads.get(tenant)!;
        this.log.log(`audit head ${tenant} #${head.sequence} ${head.hash.toString('hex')}`);
      }
    }
  }

  private async sealLinks(
    links: { t: string; q: number; p: number; h: string }[],
    batch: ReadAllResult,
  ): Promise<void> {
    await this.pool.query('SELECT audit_seal($1, $2, $3::xid8, $4, $5)', [
      AUDIT_SEALER,
      JSON.stringify(links),
      batch.checkpoint.transactionId,
      batch.checkpoint.position,
      batch.events.length,
    ]);
  }
}
