import { Inject } from '@nestjs/common';
import { Args, Context, ID, Resolver, Subscription } from '@nestjs/graphql';
import { forbidden, hasRole, notFound, type Scope } from '@app/auth';
import { dateInZone } from '@app/core';
import { withTenant } from '@app/database';
import {
  auditStreamPage,
  auditStreamStart,
  complianceAlerts,
  type AuditEventView,
  type AuditFilter as AuditFilterQuery,
} from '@app/read-models';
import type { ApiContext } from '../context/api-context';
import { AuditEvent, AuditFilter } from '../graphql/audit.types';
import { ComplianceAlert } from '../graphql/governance.types';
import { Union } from '../graphql/union.types';
import { toComplianceAlert } from '../resolvers/governance.resolver';
import { toUnion } from '../resolvers/mappers';
import { alertsKey } from '../context/read-loaders';
import type { LiveConnection } from './live-connection';
import { LiveHub } from './live-hub';
import { toGraphQLError } from '../errors/graphql-error.filter';
import { LiveIterator, type LiveRead } from './live-iterator';
import type { LiveSubscriptionKind } from './live-read-failures';
import { shareable } from './shared-execution';

const passThrough = <T>(value: T): T => value;

/**
 * One payload object per shared read, the same for every subscriber that takes it: SharedExecution
 * then executes a selection once for all the subscribers of a group (a new read, a new object).
 */
const unionPayloads = new WeakMap<object, Union>();
const alertPayloads = new WeakMap<object, Map<string, ComplianceAlert[]>>();

function liveOf(ctx: ApiContext): LiveConnection {
  if (!ctx.live) throw forbidden('subscriptions are served over WebSocket (graphql-ws) only');
  return ctx.live;
}

/** `afterPosition`: a position the client received (a non-negative integer as a string). */
function parsePosition(value: string | null): number | null {
  if (value === null || value === undefined) return null;
  const n = /^\d{1,15}$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(n)) {
    throw Object.assign(new Error('afterPosition must be the position of an event received'), {
      code: 'BAD_AFTER_POSITION',
    });
  }
  return n;
}

/**
 * Live dashboards: each subscription is scope-checked like the matching query, then woken by
 * the LiveHub (ids only) and re-reads through the application role what its viewer may see
 * (for unionChanged, through reads shared with the process's other subscribers: LiveReadCache).
 */
@Resolver()
export class LiveResolver {
  constructor(@Inject(LiveHub) private readonly hub: LiveHub) {}

  @Subscription(() => Union, {
    description:
      'The union (with stats) each time its roll-ups change; coalesced to at most one message per second per union',
    resolve: passThrough,
  })
  async unionChanged(
    @Context() ctx: ApiContext,
    @Args('unionId', { type: () => ID }) unionId: string,
  ): Promise<AsyncIterator<Union>> {
    liveOf(ctx); // over WebSocket only
    const scope = await ctx.scope();
    await scope.union(unionId, 'read');
    const tenantId = scope.tenantId;
    return this.watch(ctx, 'unionChanged', tenantId, unionId, async () => {
      // the union and its fields (stats, arrears, dues) through the reads every subscriber of
      // the tenant in this process shares: one read per union and change, not one per subscriber
      ctx.readThrough(this.hub.reads.loadersFor(tenantId));
      const view = await ctx.loaders(tenantId).union.load(unionId);
      if (!view) return { items: [] };
      let union = unionPayloads.get(view);
      if (!union) unionPayloads.set(view, (union = shareable(toUnion(view))));
      return { items: [union] };
    });
  }

  @Subscription(() => [ComplianceAlert], {
    description:
      'The full alert list under a union each time an alert appears or clears (coalesced like unionChanged)',
    resolve: passThrough,
  })
  async complianceAlertsChanged(
    @Context() ctx: ApiContext,
    @Args('unionId', { type: () => ID }) unionId: string,
    @Args('includeSubtree', { type: () => Boolean, nullable: true }) includeSubtree: boolean | null,
  ): Promise<AsyncIterator<ComplianceAlert[]>> {
    liveOf(ctx);
    const scope = await ctx.scope();
    await scope.union(unionId, 'read', 'compliance alerts');
    const tenantId = scope.tenantId;
    const current = () =>
      withTenant(
        ctx.pool,
        tenantId,
        (c) =>
          complianceAlerts(c, tenantId, unionId, {
            includeSubtree: includeSubtree ?? false,
            today: dateInZone(new Date()),
          }),
        { readOnly: true },
      );
    // the set is keyed by union and rule: a changed count in a message is not a new alert
    const keyOf = (alerts: { unionId: string; rule: string }[]) =>
      alerts
        .map((a) => `${a.unionId}\u0000${a.rule}`)
        .sort()
        .join('\u0001');
    let shown = keyOf(await current());
    return this.watch(ctx, 'complianceAlertsChanged', tenantId, unionId, async () => {
      // read once for every subscriber of the union in this process; the language is theirs
      const loaders = this.hub.reads.loadersFor(tenantId);
      const alerts = await loaders.alerts.load(alertsKey(unionId, includeSubtree ?? false));
      const key = keyOf(alerts);
      if (key === shown) return { items: [] };
      const before = shown;
      shown = key;
      let byLanguage = alertPayloads.get(alerts);
      if (!byLanguage)
        alertPayloads.set(alerts, (byLanguage = new Map<string, ComplianceAlert[]>()));
      let payload = byLanguage.get(ctx.language);
      if (!payload) {
        payload = shareable(alerts.map((a) => toComplianceAlert(a, ctx.language)));
        byLanguage.set(ctx.language, payload);
      }
      // not sent after all (its execution failed): the retry compares with what was shown
      return { items: [payload], undo: () => (shown = before) };
    });
  }

  @Subscription(() => AuditEvent, {
    description:
      'AUDITOR: every event as it is sealed into the audit chain, in chain order, optionally filtered; ' +
      'pass the position of the last event received as afterPosition to resume without a gap',
    resolve: passThrough,
  })
  async auditEvents(
    @Context() ctx: ApiContext,
    @Args('filter', { type: () => AuditFilter, nullable: true }) filter: AuditFilter | null,
    @Args('afterPosition', {
      type: () => String,
      nullable: true,
      description: 'resume after this event (its position); absent = from now on',
    })
    afterPosition: string | null,
  ): Promise<AsyncIterator<AuditEventView>> {
    liveOf(ctx);
    const scope = await ctx.scope();
    if (!hasRole(scope.viewer, 'AUDITOR'))
      throw forbidden('the live audit stream needs the AUDITOR role');
    const tenantId = scope.tenantId;
    const query = await auditScope(scope, filter ?? {});
    const after = parsePosition(afterPosition);
    // the start is fixed before the watch: anything sealed after it is read on the first poke
    const start = await withTenant(
      ctx.pool,
      tenantId,
      (c) => auditStreamStart(c, tenantId, after),
      {
        readOnly: true,
      },
    );
    if (start === null) throw notFound('sealed event at position', String(after));
    let cursor = start;
    const iterator = this.iterator<AuditEventView>(ctx, 'auditEvents', {}, async () => {
      const page = await withTenant(
        ctx.pool,
        tenantId,
        (c) => auditStreamPage(c, tenantId, cursor, query),
        { readOnly: true },
      );
      cursor = page.lastSequence;
      return { items: page.events, more: page.more };
    });
    iterator.onEnd(this.hub.watchAudit(tenantId, () => iterator.poke()));
    iterator.poke();
    return iterator;
  }

  private watch<T>(
    ctx: ApiContext,
    kind: LiveSubscriptionKind,
    tenantId: string,
    unionId: string,
    read: () => Promise<LiveRead<T>>,
  ): LiveIterator<T> {
    // the hub coalesces per union for all its subscribers (woken together, read together), and
    // retries a failed shared read for all the subscribers that failed on it, together
    const poke = () => iterator.poke();
    const iterator = this.iterator(
      ctx,
      kind,
      {
        retryLater: (attempt) => this.hub.retryUnion(tenantId, unionId, poke, attempt),
      },
      read,
    );
    iterator.onEnd(this.hub.watchUnion(tenantId, unionId, poke));
    return iterator;
  }

  private iterator<T>(
    ctx: ApiContext,
    kind: LiveSubscriptionKind,
    options: { retryLater?: (attempt: number) => void },
    read: () => Promise<LiveRead<T>>,
  ): LiveIterator<T> {
    const live = liveOf(ctx);
    const failures = this.hub.failures;
    return new LiveIterator<T>({
      read,
      windowMs: 0,
      slowAfterMs: live.limits.slowAfterMs,
      onSlow: () => live.slow(),
      ...options,
      // a transient failure keeps the subscription open; only the subscriber's own error ends it
      onRetry: (error) => failures.retried(kind, error),
      onReadOk: () => failures.succeeded(),
      toError: (error) => {
        failures.ended(kind);
        return toGraphQLError(error, ctx.language, ctx.correlationId);
      },
    });
  }
}

/** The same reach as the audit trail: the viewer's unit subtree, or a union/member inside it. */
async function auditScope(scope: Scope, filter: AuditFilter): Promise<AuditFilterQuery> {
  const unitPath = await scope.unitPath();
  let unionPath: string | null = unitPath === '/' ? null : unitPath;
  let includeSubtree = true;
  if (filter.unionId) {
    unionPath = (await scope.union(filter.unionId, 'audit', 'the audit stream')).path;
    includeSubtree = filter.includeSubtree ?? false;
  }
  if (filter.memberId) await scope.member(filter.memberId, 'audit', 'the audit stream');
  return { ...filter, unionPath, includeSubtree };
}
