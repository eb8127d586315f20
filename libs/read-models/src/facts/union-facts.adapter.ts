import type { IsoDate } from '@app/core';
import type {
  CandidateRow,
  MemberLookup,
  MemberStanding,
  RollCounts,
  UnionFactsPort,
  UnionLevel,
  UnionLookup,
  UnionStatus,
} from '@app/unions';
import type { Pool, PoolClient } from 'pg';
import type { ActorUnits } from './actor-units';
import { startsWith } from '../queries/prefix';
import { readInTenant, unionPaths } from './facts-sql';

const NO_COUNTS: RollCounts = {
  activeMembers: 0,
  eligibleVoters: 0,
  femaleMembers: 0,
  activeChildUnions: 0,
};

interface ElectorateRow {
  level: UnionLevel;
  path: string;
  parent_id: string | null;
}

type Roll = { kind: 'OWN'; unionId: string } | { kind: 'SUBTREE'; path: string };

/**
 * Whose members count: a grassroots union's own roll, the roll of a group's grassroots union,
 * the whole subtree for a COMPANY or SECONDARY_UNIT.
 */
function rollOf(union: ElectorateRow & { union_id: string }): Roll {
  switch (union.level) {
    case 'BRIGADE':
    case 'TEAM':
      return { kind: 'OWN', unionId: union.union_id };
    case 'GROUP':
      return { kind: 'OWN', unionId: union.parent_id ?? union.union_id };
    default:
      return { kind: 'SUBTREE', path: union.path };
  }
}

/**
 * UNION_FACTS over the registry read models (rm_unions, rm_members and their history), each
 * call one read-only transaction in the tenant. Officers come from `ActorUnits` (the verified
 * token's unit); see there.
 *
 * Rolls (see CandidateFacts): a BRIGADE or TEAM counts its own roll (members join only these; a
 * team under a brigade is a roll of its own), a COMPANY or SECONDARY_UNIT its whole subtree. A
 * GROUP holds no members: its `activeMembers` is 0 (it may be dissolved) while its electorate
 * (`eligibleVoters`, candidates) is the roll of its grassroots union (Art. 10). Retained members
 * are not ACTIVE, so every ACTIVE member on the roll may vote.
 */
export class ReadModelUnionFacts implements UnionFactsPort {
  constructor(
    private readonly pool: Pool,
    private readonly actors: ActorUnits,
  ) {}

  union(tenantId: string, unionId: string): Promise<UnionLookup> {
    return readInTenant(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{ status: UnionStatus; level: UnionLevel }>(
        'SELECT status, level FROM rm_unions WHERE tenant_id = $1 AND union_id = $2',
        [tenantId, unionId],
      );
      const row = rows[0];
      return row
        ? { unionId, status: row.status, level: row.level }
        : { unionId, status: 'NOT_FOUND' };
    });
  }

  siblingNames(tenantId: string, parentId: string, exceptUnionId: string): Promise<string[]> {
    return readInTenant(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{ name: string }>(
        `SELECT name FROM rm_unions
          WHERE tenant_id = $1 AND parent_id = $2 AND union_id <> $3
            AND status IN ('PENDING_APPROVAL', 'ACTIVE')
          ORDER BY name`,
        [tenantId, parentId, exceptUnionId],
      );
      return rows.map((row) => row.name);
    });
  }

  async isOfficerOf(tenantId: string, userId: string, unionId: string): Promise<boolean> {
    if (this.actors.unitPathOf(tenantId, userId) === null) return false;
    const paths = await readInTenant(this.pool, tenantId, (client) =>
      unionPaths(client, tenantId, [unionId]),
    );
    const path = paths.get(unionId);
    return path !== undefined && this.actors.covers(tenantId, userId, path);
  }

  /** As of `on` (business time), from the membership and union history. */
  counts(tenantId: string, unionId: string, on: IsoDate): Promise<RollCounts> {
    return readInTenant(this.pool, tenantId, async (client) => {
      const union = await electorateOf(client, tenantId, unionId);
      if (!union) return NO_COUNTS;
      const roll = rollOf(union);
      const { rows } = await client.query<{ active: number; female: number }>(
        `SELECT count(*)::int AS active, count(*) FILTER (WHERE gender = 'FEMALE')::int AS female
           FROM rm_member_history
          WHERE tenant_id = $1 AND ${roll.kind === 'OWN' ? 'union_id = $2' : startsWith('union_path', '$2')}
            AND status = 'ACTIVE' AND valid_from <= $3 AND (valid_to IS NULL OR valid_to > $3)`,
        [tenantId, roll.kind === 'OWN' ? roll.unionId : roll.path, on],
      );
      const children = await client.query<{ active: number }>(
        `SELECT count(*)::int AS active
           FROM rm_unions c
          WHERE c.tenant_id = $1 AND c.parent_id = $2
            AND (SELECT h.status FROM rm_union_history h
                  WHERE h.tenant_id = c.tenant_id AND h.union_id = c.union_id
                    AND h.valid_from <= $3 AND (h.valid_to IS NULL OR h.valid_to > $3)
                  ORDER BY h.position DESC LIMIT 1) = 'ACTIVE'`,
        [tenantId, unionId, on],
      );
      const counted = rows[0] ?? { active: 0, female: 0 };
      const group = union.level === 'GROUP';
      return {
        activeMembers: group ? 0 : counted.active,
        eligibleVoters: counted.active,
        femaleMembers: group ? 0 : counted.female,
        activeChildUnions: children.rows[0]?.active ?? 0,
      };
    });
  }

  member(tenantId: string, memberId: string): Promise<MemberLookup> {
    return readInTenant(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{ status: MemberStanding; union_id: string }>(
        'SELECT status, union_id FROM rm_members WHERE tenant_id = $1 AND member_id = $2',
        [tenantId, memberId],
      );
      const row = rows[0];
      return row
        ? { memberId, status: row.status, unionId: row.union_id }
        : { memberId, status: 'NOT_FOUND' };
    });
  }

  /** One row per distinct id asked for, in the order asked; unknown ids are NOT_FOUND. */
  candidates(
    tenantId: string,
    unionId: string,
    memberIds: readonly string[],
  ): Promise<CandidateRow[]> {
    const ids = [...new Set(memberIds)];
    if (ids.length === 0) return Promise.resolve([]);
    return readInTenant(this.pool, tenantId, async (client) => {
      const union = await electorateOf(client, tenantId, unionId);
      const roll = union === null ? null : rollOf(union);
      const { rows } = await client.query<{
        member_id: string;
        status: MemberStanding;
        union_id: string;
        union_path: string;
        gender: string;
      }>(
        `SELECT member_id, status, union_id, union_path, gender FROM rm_members
          WHERE tenant_id = $1 AND member_id = ANY($2::text[])`,
        [tenantId, ids],
      );
      const found = new Map(rows.map((row) => [row.member_id, row]));
      return ids.map((memberId): CandidateRow => {
        const row = found.get(memberId);
        if (!row) return { memberId, status: 'NOT_FOUND', inElectorate: false, female: false };
        return {
          memberId,
          status: row.status,
          inElectorate:
            roll !== null &&
            (roll.kind === 'OWN'
              ? row.union_id === roll.unionId
              : row.union_path.startsWith(roll.path)),
          female: row.gender === 'FEMALE',
        };
      });
    });
  }
}

async function electorateOf(
  client: PoolClient,
  tenantId: string,
  unionId: string,
): Promise<(ElectorateRow & { union_id: string }) | null> {
  const { rows } = await client.query<ElectorateRow & { union_id: string }>(
    `SELECT union_id, level, path, parent_id FROM rm_unions WHERE tenant_id = $1 AND union_id = $2`,
    [tenantId, unionId],
  );
  return rows[0] ?? null;
}
