import type { RecordedEvent } from '@app/core';
import type { DuesPayrollImported } from '@app/unions';
import type { PoolClient } from 'pg';
import { REGISTRY_PROJECTION } from '../registry/registry.projection';
import type { BatchApplier, Projection, TenantBatch } from '../runner/projection';
import { DuesRebuildCache, type DuesMemberSource } from './dues-rebuild-cache';
import { DeltaSink, memberDeltas } from './dues-deltas';
import {
  DUES_MEMBER_EVENT_TYPES,
  foldDues,
  SPAN_EVENT_TYPES,
  type DuesMemberRow,
  type LedgerRow,
  type MemberDues,
} from './dues-fold';
import {
  applyPeriodDeltas,
  insertLedger,
  loadDuesMembers,
  loadHoles,
  loadLedger,
  loadUnionPaths,
  writeDuesMembers,
  writeHoles,
  writeImports,
  updateDuesPayments,
  writeLedger,
  type ImportRow,
} from './dues-sql';
import type { Hole } from './dues-spans';

export const DUES_PROJECTION = 'dues';

const memberIdOf = (event: RecordedEvent): string => {
  const id = (event.data as { memberId?: unknown }).memberId;
  if (typeof id !== 'string')
    throw new Error(`${event.type} at ${event.globalPosition} has no memberId`);
  return id;
};

const periodOf = (event: RecordedEvent): string | undefined => {
  const period = (event.data as { period?: unknown }).period;
  return typeof period === 'string' ? period : undefined;
};

function importRow(recorded: RecordedEvent): ImportRow {
  const { data } = recorded as unknown as DuesPayrollImported;
  return {
    union_id: data.unionId,
    period: data.period,
    position: recorded.globalPosition,
    paid_on: data.paidOn,
    row_count: data.rows,
    accepted: data.accepted,
    rejected: data.rejected,
    total_fen: data.totalFen,
  };
}

/**
 * The dues ledger (per member per month), per-union monthly roll-ups over the subtree for
 * `duesReport`, and each member's liability and unpaid runs for `arrears`. Reads union paths from
 * the registry, so it never runs ahead of it.
 */
export class DuesProjection implements Projection {
  readonly name = DUES_PROJECTION;
  readonly tables = [
    'rm_dues_members',
    'rm_dues_holes',
    'rm_dues_ledger',
    'rm_dues_union_period',
    'rm_dues_imports',
  ];
  readonly dependsOn = [REGISTRY_PROJECTION];

  apply(client: PoolClient, batch: TenantBatch): Promise<void> {
    return applyDues(client, batch, STORED);
  }

  /** A rebuild keeps each member's dues row and holes in memory instead of reading them back. */
  rebuildApplier(): BatchApplier {
    const cache = new DuesRebuildCache();
    return { apply: (client, batch) => applyDues(client, batch, cache) };
  }
}

/** Whether the batch moved nothing of the row but its payment columns (the usual payroll month). */
function onlyPaid(before: DuesMemberRow | undefined, after: DuesMemberRow): boolean {
  return (
    before !== undefined &&
    before.spans === after.spans && // the fold keeps the array when liability did not move
    before.union_id === after.union_id &&
    before.union_path === after.union_path &&
    before.status === after.status &&
    before.liable_from === after.liable_from &&
    before.exempt_from === after.exempt_from
  );
}

/** The rows as stored (live): read from the tables each batch. */
const STORED: DuesMemberSource = {
  members: loadDuesMembers,
  holes: loadHoles,
  unionPaths: loadUnionPaths,
  remember: () => undefined,
};

/**
 * One batch: load the touched members, holes and ledger rows, fold in memory (skipping events at
 * or below a member's last_position), then a fixed number of set-based statements.
 */
async function applyDues(
  client: PoolClient,
  { tenantId, events }: TenantBatch,
  source: DuesMemberSource,
): Promise<void> {
  const memberEvents = events.filter((e) => DUES_MEMBER_EVENT_TYPES.has(e.type));
  const imports = events.filter((e) => e.type === 'DuesPayrollImported').map(importRow);
  if (memberEvents.length === 0 && imports.length === 0) return;

  // 1. everything this batch touches, in three queries (one client: one statement at a time)
  const memberIds = [...new Set(memberEvents.map(memberIdOf))];
  const rows = await source.members(client, tenantId, memberIds);
  const payers = new Set<string>();
  const pairs = new Map<string, { memberId: string; period: string }>();
  const wholeLedger = new Set<string>();
  for (const e of memberEvents) {
    const memberId = memberIdOf(e);
    const period = periodOf(e);
    if (period !== undefined) {
      payers.add(memberId);
      // no ledger row lies after the last paid month: the usual payment reads nothing
      const lastPaid = rows.get(memberId)?.last_paid_period ?? null;
      if (lastPaid !== null && period <= lastPaid)
        pairs.set(`${memberId}\u0000${period}`, { memberId, period });
    }
    if (SPAN_EVENT_TYPES.has(e.type)) wholeLedger.add(memberId);
  }
  const holes = await source.holes(client, tenantId, [...payers]);
  const ledger = await loadLedger(client, tenantId, [...pairs.values()], [...wholeLedger]);
  const states = new Map<string, MemberDues>();
  for (const id of memberIds) {
    states.set(id, {
      row: rows.get(id),
      holes: holes.get(id) ?? [],
      ledger: new Map(),
      changedPeriods: new Set(),
      holesChanged: false,
    });
  }
  for (const r of ledger) states.get(r.member_id)?.ledger.set(r.period, r);
  const loaded = new Map([...states].map(([id, s]) => [id, new Map(s.ledger)]));

  // 2. fold, then the change of each member's contribution to the roll-ups
  const changed = new Set<string>();
  for (const event of memberEvents) {
    const id = memberIdOf(event);
    if (foldDues(states.get(id)!, event)) changed.add(id);
  }
  const sink = new DeltaSink();
  const memberRows: DuesMemberRow[] = [];
  const ledgerRows: LedgerRow[] = [];
  // months never recorded: no row can exist (a ledger row never lies after the member's last paid
  // month, and every month up to it that has a row was loaded), so a plain INSERT, which costs
  // about half of INSERT … ON CONFLICT; a broken assumption stops the projection on the key
  const newLedgerRows: LedgerRow[] = [];
  const holeRows = new Map<string, Hole[]>();
  for (const id of changed) {
    const state = states.get(id)!;
    const after = state.row!;
    memberDeltas(
      sink,
      { row: rows.get(id), ledger: loaded.get(id)! },
      { row: after, ledger: state.ledger },
    );
    memberRows.push(after);
    const before = loaded.get(id)!;
    for (const period of state.changedPeriods)
      (before.has(period) ? ledgerRows : newLedgerRows).push(state.ledger.get(period)!);
    if (state.holesChanged) holeRows.set(id, state.holes);
  }

  // 3. paths of the members' unions and of every union a figure moves on
  const unionIds = new Set([...memberRows.map((r) => r.union_id), ...sink.unionIds()]);
  const paths = await source.unionPaths(client, tenantId, [...unionIds]);
  for (const id of unionIds) {
    if (!paths.has(id))
      throw new Error(`dues event names union ${id}, which the registry read model does not know`);
  }
  for (const r of memberRows) r.union_path = paths.get(r.union_id)!;

  // 4. a fixed number of statements, whatever the batch size
  const paidOnly: DuesMemberRow[] = [];
  const others: DuesMemberRow[] = [];
  for (const r of memberRows) (onlyPaid(rows.get(r.member_id), r) ? paidOnly : others).push(r);
  await updateDuesPayments(client, tenantId, paidOnly);
  await writeDuesMembers(client, tenantId, others);
  await writeLedger(client, tenantId, ledgerRows);
  await insertLedger(client, tenantId, newLedgerRows);
  await writeHoles(client, tenantId, holeRows);
  await applyPeriodDeltas(client, tenantId, sink.list());
  await writeImports(client, tenantId, imports);
  source.remember(tenantId, memberRows, holeRows);
}
