import { randomUUID } from 'node:crypto';
import { silentLog, type LogSink, type RecordedEvent } from '@app/core';
import { withTenant } from '@app/database';
import type { SealedBatch } from '@app/event-store';
import type { Pool } from 'pg';
import { AUDIT_INDEX_PROJECTION } from '../audit/audit-index.projection';
import { DUES_PROJECTION } from '../dues/dues.projection';
import { ELECTIONS_PROJECTION } from '../elections/elections.projection';
import { REGISTRY_PROJECTION } from '../registry/registry.projection';
import type { BatchCommitted } from '../runner/projection-runner';
import { SETTINGS_PROJECTION } from '../settings/settings.projection';
import { encodeLiveChanges, LIVE_CHANNEL, unionsTouchedBy, type LiveChange } from './live-change';

/** The registry folds payments into member rows only; a union's figures move with `dues`. */
const DUES_EVENTS = new Set(['DuesPaid', 'DuesPaymentCorrected', 'DuesPayrollImported']);

/**
 * Which commits subscribers hear about. Every projection sees every event, so each names the
 * events that change what it shows: a payroll import is then one change (from `dues`), not one
 * per projection that merely moved its checkpoint over it.
 */
const RELEVANT: Record<
  string,
  { signal: LiveChange['kind']; event: (e: RecordedEvent) => boolean }
> = {
  [REGISTRY_PROJECTION]: { signal: 'unions', event: (e) => !DUES_EVENTS.has(e.type) },
  [DUES_PROJECTION]: { signal: 'unions', event: () => true },
  [ELECTIONS_PROJECTION]: { signal: 'unions', event: (e) => e.streamId.startsWith('election-') },
  // the tenant's rules (arrears threshold, committee sizes) change what every union shows
  [SETTINGS_PROJECTION]: {
    signal: 'allUnions',
    event: (e) => e.type === 'TenantSettingsProvisioned' || e.type === 'RuleSettingsChanged',
  },
  // the audit stream filters through the index, so its progress matters as much as sealing
  [AUDIT_INDEX_PROJECTION]: { signal: 'audit', event: () => true },
};

/**
 * Turns committed projection batches and sealed audit batches into `NOTIFY live_changes`
 * messages, always after the commit (the runner and the sealer call it once their transaction is
 * done) and in its own statement, never inside an append. Work that arrives while a NOTIFY is in
 * flight is merged, so a burst of batches costs one ancestor lookup per tenant and one round trip.
 */
export class LivePublisher {
  private readonly touched = new Map<string, Set<string>>();
  private readonly allUnions = new Set<string>();
  private readonly audit = new Set<string>();
  private running: Promise<void> | undefined;
  private again = false;
  private readonly log: LogSink;
  private readonly localListeners = new Set<(change: LiveChange) => void>();
  /** Tags this publisher's notifications: a process told directly (onPublished) skips them. */
  readonly origin = randomUUID();

  constructor(
    private readonly pool: Pool,
    options: { log?: LogSink } = {},
  ) {
    this.log = options.log ?? silentLog;
  }

  readonly batchCommitted = (commit: BatchCommitted): void => {
    const relevant = RELEVANT[commit.projection];
    if (!relevant) return;
    let changed = false;
    for (const { tenantId, events } of commit.batches) {
      const mine = events.filter(relevant.event);
      if (mine.length === 0) continue;
      changed = true;
      switch (relevant.signal) {
        case 'unions': {
          const set = this.touched.get(tenantId) ?? new Set<string>();
          for (const id of unionsTouchedBy(mine)) set.add(id);
          if (set.size > 0) this.touched.set(tenantId, set);
          break;
        }
        case 'allUnions':
          this.allUnions.add(tenantId);
          break;
        case 'audit':
          this.audit.add(tenantId);
          break;
      }
    }
    if (changed) this.kick();
  };

  readonly sealed = (sealed: SealedBatch): void => {
    for (const { tenantId } of sealed.tenants) this.audit.add(tenantId);
    this.kick();
  };

  /**
   * Told of each change as it is sent, before the NOTIFY round trip: the live subscriptions of
   * this process wake without waiting for their own notification to come back. Returns the undo.
   */
  onPublished(listener: (change: LiveChange) => void): () => void {
    this.localListeners.add(listener);
    return () => this.localListeners.delete(listener);
  }

  /** Resolves when everything handed over so far has been sent (tests, shutdown). */
  async flushed(): Promise<void> {
    while (this.running) await this.running;
  }

  private kick(): void {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.publishAll().finally(() => {
      this.running = undefined;
    });
  }

  private async publishAll(): Promise<void> {
    do {
      this.again = false;
      const changes = (await this.takeChanges()).map((c) => ({ ...c, origin: this.origin }));
      for (const change of changes)
        for (const listener of this.localListeners) {
          try {
            listener(change);
          } catch (error) {
            this.log.warn(`live listener failed: ${(error as Error).message}`);
          }
        }
      const payloads = changes.flatMap(encodeLiveChanges);
      if (payloads.length === 0) continue;
      try {
        await this.pool.query('SELECT pg_notify($1, p) FROM unnest($2::text[]) AS p', [
          LIVE_CHANNEL,
          payloads,
        ]);
      } catch (error) {
        // subscribers miss this change and catch up with the next one; never fail the follower
        this.log.warn(`live notification failed: ${(error as Error).message}`);
      }
    } while (this.again);
  }

  private async takeChanges(): Promise<LiveChange[]> {
    const changes: LiveChange[] = [];
    const touched = [...this.touched];
    this.touched.clear();
    for (const tenantId of this.allUnions) changes.push({ kind: 'allUnions', tenantId });
    for (const tenantId of this.audit) changes.push({ kind: 'audit', tenantId });
    this.allUnions.clear();
    this.audit.clear();
    for (const [tenantId, ids] of touched) {
      try {
        const unionIds = await this.withAncestors(tenantId, [...ids]);
        if (unionIds.length > 0) changes.push({ kind: 'unions', tenantId, unionIds });
      } catch (error) {
        this.log.warn(`live ancestors of ${tenantId} failed: ${(error as Error).message}`);
      }
    }
    return changes;
  }

  /** The touched unions and every union above them: their subtree roll-ups moved too. */
  private withAncestors(tenantId: string, ids: string[]): Promise<string[]> {
    return withTenant(
      this.pool,
      tenantId,
      async (client) =>
        (
          await client.query<{ id: string }>(
            `SELECT DISTINCT a AS id FROM rm_unions u CROSS JOIN LATERAL unnest(u.ancestors) AS a
              WHERE u.tenant_id = $1 AND u.union_id = ANY($2::text[])`,
            [tenantId, ids],
          )
        ).rows.map((r) => r.id),
      { readOnly: true },
    );
  }
}
