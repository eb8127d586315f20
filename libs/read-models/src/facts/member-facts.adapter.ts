import type { Period } from '@app/core';
import {
  cardNumberStreamId,
  memberStreamId,
  type MemberFactsPort,
  type MemberImportTenantFacts,
  type MemberUnionLookup,
  type PayrollMemberFacts,
  type UnionLevelName,
  type UnionStatusName,
} from '@app/unions';
import type { Pool } from 'pg';
import type { ActorUnits } from './actor-units';
import { readInTenant, unionPaths } from './facts-sql';
import { UnionPathCache } from './union-path-cache';
import { payrollChunk } from './payroll-facts.sql';

/**
 * The import facts in one statement. Every id is probed by itself (a LATERAL subquery with LIMIT
 * cannot become a join): the events table grows by thousands of rows per part during an import,
 * faster than autovacuum analyses it, and on such stale statistics the planner hashed every event
 * of the tenant for each part (0.5 s at 200,000 events, growing with every part).
 */
export const IMPORT_FACTS_SQL = `
  SELECT 0, e.stream_id FROM jsonb_array_elements_text($2::jsonb) AS q(id)
   CROSS JOIN LATERAL (SELECT x.stream_id FROM events x
                        WHERE x.tenant_id = $1 AND x.stream_id = q.id AND x.stream_version = 1
                        LIMIT 1) e
  UNION ALL
  SELECT 1, m.employee_no FROM jsonb_array_elements_text($3::jsonb) AS q(no)
   CROSS JOIN LATERAL (SELECT x.employee_no FROM rm_members x
                        WHERE x.tenant_id = $1 AND x.employee_no = q.no
                          AND x.status IN ('APPLIED', 'ACTIVE', 'RETAINED')
                        LIMIT 1) m`;

/** Member ids per statement of `payrollMembers` (one text[] parameter each). */
export const PAYROLL_FACTS_CHUNK = 5_000;

/**
 * MEMBER_FACTS over the registry read models (rm_unions, rm_members) and, for payroll, the dues
 * model (rm_dues_members, rm_dues_ledger). Every call is one read-only transaction in the tenant;
 * another tenant's ids are invisible (row-level security). Officers come from `ActorUnits`.
 */
export class ReadModelMemberFacts implements MemberFactsPort {
  private readonly paths = new UnionPathCache();

  constructor(
    private readonly pool: Pool,
    private readonly actors: ActorUnits,
    private readonly chunkSize = PAYROLL_FACTS_CHUNK,
  ) {}

  /** A REJECTED establishment never became a union: NOT_FOUND, like an unknown id. */
  union(tenantId: string, unionId: string): Promise<MemberUnionLookup> {
    return readInTenant(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{
        status: UnionStatusName | 'REJECTED';
        level: UnionLevelName;
        path: { unionId: string; level: UnionLevelName }[];
      }>(
        `SELECT u.status, u.level,
                (SELECT json_agg(json_build_object('unionId', a.union_id, 'level', a.level)
                                 ORDER BY x.ord)
                   FROM unnest(u.ancestors) WITH ORDINALITY AS x(id, ord)
                   JOIN rm_unions a ON a.tenant_id = u.tenant_id AND a.union_id = x.id) AS path
           FROM rm_unions u
          WHERE u.tenant_id = $1 AND u.union_id = $2`,
        [tenantId, unionId],
      );
      const row = rows[0];
      if (!row || row.status === 'REJECTED') return { unionId, status: 'NOT_FOUND' };
      return { unionId, level: row.level, status: row.status, path: row.path };
    });
  }

  async actsFor(tenantId: string, userId: string, unionIds: readonly string[]): Promise<string[]> {
    if (unionIds.length === 0 || this.actors.unitPathOf(tenantId, userId) === null) return [];
    const ids = [...new Set(unionIds)];
    const paths = await this.paths.of(tenantId, ids, (missing) =>
      readInTenant(this.pool, tenantId, (client) => unionPaths(client, tenantId, missing)),
    );
    return ids.filter((id) => {
      const path = paths.get(id);
      return path !== undefined && this.actors.covers(tenantId, userId, path);
    });
  }

  employeeNoInUse(tenantId: string, employeeNo: string, exceptMemberId: string): Promise<boolean> {
    return readInTenant(this.pool, tenantId, async (client) => {
      // the decider stores employee numbers trimmed, so equality can use the index
      const { rows } = await client.query<{ used: boolean }>(
        `SELECT EXISTS (
           SELECT 1 FROM rm_members
            WHERE tenant_id = $1 AND employee_no = btrim($2) AND member_id <> $3
              AND status IN ('APPLIED', 'ACTIVE', 'RETAINED')) AS used`,
        [tenantId, employeeNo, exceptMemberId],
      );
      return rows[0]?.used ?? false;
    });
  }

  /**
   * Generated numbers are "M" and eight digits, so the highest sorts last among them: a short
   * backward scan of the card-number index. (Sequences past 99,999,999 are not seen; the store's
   * reservation stream still keeps every number unique.)
   */
  lastGeneratedCardSequence(tenantId: string): Promise<number> {
    return readInTenant(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{ card_number: string }>(
        `SELECT card_number FROM rm_members
          WHERE tenant_id = $1 AND card_number >= 'M00000000' AND card_number <= 'M99999999'
            AND card_number ~ '^M[0-9]{8}$'
          ORDER BY card_number DESC LIMIT 1`,
        [tenantId],
      );
      const last = rows[0]?.card_number;
      return last === undefined ? 0 : Number(last.slice(1));
    });
  }

  /**
   * One statement for all three kinds (the ids travel as JSON arrays, no array literal to build):
   * member and card-number streams are looked up in the event store's own table (the first event
   * of each stream, by primary key), so a number reserved a moment ago is seen; employee numbers
   * come from the roster.
   */
  importFacts(
    tenantId: string,
    query: {
      readonly memberIds: readonly string[];
      readonly employeeNos: readonly string[];
      readonly cardNumbers: readonly string[];
    },
  ): Promise<MemberImportTenantFacts> {
    const existingMemberIds = new Set<string>();
    const employeeNosInUse = new Set<string>();
    const cardNumbersInUse = new Set<string>();
    const memberPrefix = memberStreamId('');
    const cardPrefix = cardNumberStreamId('');
    const memberStreams = [...new Set(query.memberIds)].map((id) => memberPrefix + id);
    const cardStreams = [...new Set(query.cardNumbers.map((no) => cardNumberStreamId(no)))];
    const employeeNos = [...new Set(query.employeeNos)];
    return readInTenant(this.pool, tenantId, async (client) => {
      // member and card-number streams in one list (their prefixes tell them apart): 0, the
      // streams that exist; 1, the employee numbers in use
      const { rows } = await client.query<[number, string]>({
        text: IMPORT_FACTS_SQL,
        rowMode: 'array',
        values: [
          tenantId,
          JSON.stringify([...memberStreams, ...cardStreams]),
          JSON.stringify(employeeNos),
        ],
      });
      for (const [kind, value] of rows) {
        if (kind === 1) employeeNosInUse.add(value);
        else if (value.startsWith(memberPrefix))
          existingMemberIds.add(value.slice(memberPrefix.length));
        else cardNumbersInUse.add(value.slice(cardPrefix.length));
      }
      return { existingMemberIds, employeeNosInUse, cardNumbersInUse };
    });
  }

  /**
   * Set-based, in chunks of `chunkSize` ids (one statement each, one read-only transaction).
   * See `payrollChunk` for how the registry and dues rows are combined.
   */
  payrollMembers(
    tenantId: string,
    period: Period,
    memberIds: readonly string[],
  ): Promise<ReadonlyMap<string, PayrollMemberFacts>> {
    const ids = [...new Set(memberIds)];
    const out = new Map<string, PayrollMemberFacts>();
    if (ids.length === 0) return Promise.resolve(out);
    return readInTenant(this.pool, tenantId, async (client) => {
      for (let i = 0; i < ids.length; i += this.chunkSize) {
        const chunk = ids.slice(i, i + this.chunkSize);
        for (const [memberId, facts] of await payrollChunk(client, tenantId, period, chunk)) {
          out.set(memberId, facts);
        }
      }
      return out;
    });
  }
}
