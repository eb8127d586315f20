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
import { likePrefix, readInTenant, unionPaths } from './facts-sql';

const NO_COUNTS: RollCounts = {
  activeMembers: 0,
  eligibleVoters: 0,
  femaleMembers: 0,
  activeChildUnions: 0,
};

interface ElectorateRow {
  level: UnionLevel;
  path: string;
  parent_path: string | null;
}

/**
 * UNION_FACTS over the registry read models (rm_unions, rm_members and their history), each
 * call one read-only transaction in the tenant. Officers come from `ActorUnits` (the verified
 * token's unit); see there.
 *
 * Rolls: a union's own roll is its subtree (members join BRIGADEs and TEAMs only, so for those
 * the subtree is the union itself). The electorate is that roll too, except for a GROUP, whose
 * electorate is the roll of its grassroots union (Art. 10, see CandidateFacts): a group holds no
 * members itself, so its `activeMembers` is 0 (it may be dissolved) while `eligibleVoters` counts
 * the grassroots roll. Retained members are not ACTIVE, so every ACTIVE member may vote.
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
      const electorate = union.level === 'GROUP' ? (union.parent_path ?? union.path) : union.path;
      const { rows } = await client.query<{ active: number; female: number; eligible: number }>(
        `SELECT count(*) FILTER (WHERE union_path LIKE $3)::int AS active,
                count(*) FILTER (WHERE union_path LIKE $3 AND gender = 'FEMALE')::int AS female,
                count(*)::int AS eligible
           FROM rm_member_history
          WHERE tenant_id = $1 AND union_path LIKE $2 AND status = 'ACTIVE'
            AND valid_from <= $4 AND (valid_to IS NULL OR valid_to > $4)`,
        [tenantId, likePrefix(electorate), likePrefix(union.path), on],
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
      const roll = rows[0] ?? { active: 0, female: 0, eligible: 0 };
      return {
        activeMembers: roll.active,
        eligibleVoters: roll.eligible,
        femaleMembers: roll.female,
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
      const electorate =
        union === null
          ? null
          : union.level === 'GROUP'
            ? (union.parent_path ?? union.path)
            : union.path;
      const { rows } = await client.query<{
        member_id: string;
        status: MemberStanding;
        union_path: string;
        gender: string;
      }>(
        `SELECT member_id, status, union_path, gender FROM rm_members
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
          inElectorate: electorate !== null && row.union_path.startsWith(electorate),
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
): Promise<ElectorateRow | null> {
  const { rows } = await client.query<ElectorateRow>(
    `SELECT u.level, u.path, p.path AS parent_path
       FROM rm_unions u
       LEFT JOIN rm_unions p ON p.tenant_id = u.tenant_id AND p.union_id = u.parent_id
      WHERE u.tenant_id = $1 AND u.union_id = $2`,
    [tenantId, unionId],
  );
  return rows[0] ?? null;
}
