import type { RecordedEvent } from '@app/core';
import type { PoolClient } from 'pg';
import type { Projection, TenantBatch } from '../runner/projection';
import { contribution, foldMember, MEMBER_EVENT_TYPES, type MemberRow } from './member-fold';
import { splitPayments } from './payments-fold';
import {
  applyRollups,
  loadMembers,
  loadUnions,
  writeMemberHistory,
  writeMembers,
  writePayments,
  writeUnionHistory,
  writeUnions,
  type HistoryRow,
  type RollupDelta,
} from './registry-sql';
import { foldUnion, UNION_EVENT_TYPES, type UnionRow } from './union-fold';

export const REGISTRY_PROJECTION = 'registry';

const dataField = (event: RecordedEvent, field: string): string | undefined => {
  const value = (event.data as Record<string, unknown>)[field];
  return typeof value === 'string' ? value : undefined;
};

/** Chains one entity's new history rows: each is valid until the next one starts. */
function chain(rows: HistoryRow[]): HistoryRow[] {
  const byId = new Map<string, HistoryRow[]>();
  rows.forEach((r) => byId.set(r.id, [...(byId.get(r.id) ?? []), r]));
  for (const list of byId.values())
    list.forEach((r, i) => (r.valid_to = list[i + 1]?.valid_from ?? null));
  return rows;
}

/**
 * The union tree (attributes, committee, term, subtree roll-ups), the member roster and the
 * effective-dated history of both, in one projection so that roll-ups always agree with the
 * roster. Per batch: load the touched rows, fold the events in memory (skipping events at or
 * below a row's last_position), then a fixed number of set-based statements. Members whose only
 * events in the batch are dues payments are not loaded: their payments coalesce into one row each
 * and one UPDATE moves last paid period, version and position (unindexed columns: HOT updates).
 */
export class RegistryProjection implements Projection {
  readonly name = REGISTRY_PROJECTION;
  readonly tables = ['rm_unions', 'rm_members', 'rm_member_history', 'rm_union_history'];

  async apply(client: PoolClient, { tenantId, events }: TenantBatch): Promise<void> {
    const unionEvents = events.filter((e) => UNION_EVENT_TYPES.has(e.type));
    // members whose only events in this batch are payments take the short path (the bulk of the log)
    const { folded: memberEvents, paymentsOnly } = splitPayments(
      events.filter((e) => MEMBER_EVENT_TYPES.has(e.type)),
    );
    await writePayments(client, tenantId, paymentsOnly);
    if (unionEvents.length === 0 && memberEvents.length === 0) return;

    // 1. everything this batch touches, in two queries
    const unionIds = new Set<string>();
    for (const e of unionEvents) {
      unionIds.add(dataField(e, 'unionId')!);
      const parent = dataField(e, 'parentId');
      if (parent) unionIds.add(parent);
    }
    for (const e of memberEvents) {
      for (const field of ['unionId', 'toUnionId']) {
        const id = dataField(e, field);
        if (id) unionIds.add(id);
      }
    }
    const memberIds = [...new Set(memberEvents.map((e) => dataField(e, 'memberId')!))];
    // one after the other: a client runs one query at a time (pg queues a second, deprecated)
    const unions = await loadUnions(client, tenantId, [...unionIds]);
    const members = await loadMembers(client, tenantId, memberIds);

    const loadedUnions = new Set(unions.keys());

    // 2. unions first: members may join a union created in the same batch
    const deltas: RollupDelta[] = [];
    const unionHistory: HistoryRow[] = [];
    const changedUnions = new Map<string, UnionRow>();
    for (const event of unionEvents) {
      const id = dataField(event, 'unionId')!;
      const before = unions.get(id);
      if (before && event.globalPosition <= before.last_position) continue; // applied already
      const { row, effectiveOn } = foldUnion(before, event, (pid) => unions.get(pid));
      if (!row || row === before) continue;
      unions.set(id, row);
      changedUnions.set(id, row);
      const wasActive = before?.status === 'ACTIVE' ? 1 : 0;
      const isActive = row.status === 'ACTIVE' ? 1 : 0;
      if (wasActive !== isActive)
        deltas.push({
          union_id: id,
          active: 0,
          female: 0,
          retained: 0,
          unions: isActive - wasActive,
        });
      if (effectiveOn) {
        unionHistory.push({
          id,
          position: event.globalPosition,
          valid_from: effectiveOn,
          valid_to: null,
          status: row.status,
          union_id: id,
          path: row.path,
          extra: row.name,
          governance_form: row.governance_form,
        });
      }
    }

    // 3. members, with the change of each one's contribution to the roll-ups
    const memberHistory: HistoryRow[] = [];
    const changedMembers = new Map<string, MemberRow>();
    const original = new Map(members);
    for (const event of memberEvents) {
      const id = dataField(event, 'memberId')!;
      const before = members.get(id);
      if (before && event.globalPosition <= before.last_position) continue;
      const { row, effectiveOn } = foldMember(before, event, (uid) => unions.get(uid)?.path);
      if (!row || row === before) continue;
      members.set(id, row);
      changedMembers.set(id, row);
      if (effectiveOn) {
        memberHistory.push({
          id,
          position: event.globalPosition,
          valid_from: effectiveOn,
          valid_to: null,
          status: row.status,
          union_id: row.union_id,
          path: row.union_path,
          extra: row.gender,
        });
      }
    }
    for (const [id, after] of changedMembers) {
      const before = original.get(id);
      const b = contribution(before);
      const a = contribution(after);
      if (before && before.union_id !== after.union_id) {
        deltas.push({
          union_id: before.union_id,
          active: -b.active,
          female: -b.female,
          retained: -b.retained,
          unions: 0,
        });
        deltas.push({
          union_id: after.union_id,
          active: a.active,
          female: a.female,
          retained: a.retained,
          unions: 0,
        });
      } else {
        deltas.push({
          union_id: after.union_id,
          active: a.active - b.active,
          female: a.female - b.female,
          retained: a.retained - b.retained,
          unions: 0,
        });
      }
    }

    // 4. a fixed number of statements, whatever the batch size
    await writeUnions(client, tenantId, [...changedUnions.values()]);
    await writeMembers(client, tenantId, [...changedMembers.values()]);
    await applyRollups(client, tenantId, deltas);
    await writeUnionHistory(client, tenantId, chain(unionHistory), (id) => loadedUnions.has(id));
    await writeMemberHistory(client, tenantId, chain(memberHistory), (id) => original.has(id));
  }
}
