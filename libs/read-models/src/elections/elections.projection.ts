import type { PoolClient } from 'pg';
import { REGISTRY_PROJECTION } from '../registry/registry.projection';
import type { Projection, TenantBatch } from '../runner/projection';
import { loadRows, upsertRows, type RowTable } from '../transfers/rows-sql';
import { ELECTION_EVENT_TYPES, foldElection, type ElectionRow } from './election-fold';

export const ELECTIONS_PROJECTION = 'elections';

export const ELECTIONS_TABLE: RowTable = {
  table: 'rm_elections',
  key: 'election_id',
  columns: `election_id text, union_id text, union_level text, kind text, status text, seats int,
    expected_voters int, candidate_member_ids text[], term_years int, called_on date, held_on date,
    voters_present int, quorum int, votes_needed int, tallies jsonb, winners text[],
    unfilled_seats int, failure_reason text, tied_member_ids text[], approved_on date,
    approval_ref text, last_position bigint`,
  joined: {
    union_path: 'SELECT u.path FROM rm_unions u WHERE u.tenant_id = $1 AND u.union_id = x.union_id',
  },
};

/**
 * Every election: status (CALLED → CONCLUDED → APPROVED, or FAILED), turnout, winners and the
 * reason a held election failed. One load, an in-memory fold, one upsert per batch.
 */
export class ElectionsProjection implements Projection {
  readonly name = ELECTIONS_PROJECTION;
  readonly eventTypes = ELECTION_EVENT_TYPES;
  readonly tables = ['rm_elections'];
  readonly dependsOn = [REGISTRY_PROJECTION];

  async apply(client: PoolClient, { tenantId, events }: TenantBatch): Promise<void> {
    const relevant = events.filter((e) => ELECTION_EVENT_TYPES.has(e.type));
    if (relevant.length === 0) return;
    const idOf = (data: object) => (data as { electionId: string }).electionId;
    const rows = await loadRows<ElectionRow>(client, ELECTIONS_TABLE, tenantId, [
      ...new Set(relevant.map((e) => idOf(e.data))),
    ]);
    const changed = new Map<string, ElectionRow>();
    for (const event of relevant) {
      const id = idOf(event.data);
      const before = rows.get(id);
      if (before && event.globalPosition <= before.last_position) continue; // applied already
      const after = foldElection(before, event);
      if (!after) continue;
      rows.set(id, after);
      changed.set(id, after);
    }
    await upsertRows(client, ELECTIONS_TABLE, tenantId, [...changed.values()]);
  }
}
