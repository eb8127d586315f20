import { withTenant } from '@app/database';
import type { Pool } from 'pg';
import { toRecorded, type ReadAllRow } from '../postgres/event-rows';
import { validateTenant } from '../validation';
import { AUDIT_SEALER } from './audit-sealer';
import { chainHash, GENESIS_HASH } from './canonical';

export type ChainBreak =
  'SEQUENCE_GAP' | 'EVENT_MISSING' | 'HASH_MISMATCH' | 'HEAD_MISMATCH' | 'UNSEALED_EVENT';

export interface ChainReport {
  tenantId: string;
  ok: boolean;
  /** Entries checked before the first break (or all of them). */
  checked: number;
  head: { sequence: number; hash: string } | null;
  firstBrokenSequence: number | null;
  reason: ChainBreak | null;
  detail: string | null;
}

const PAGE = 5000;

/**
 * Recomputes a tenant's chain from the events themselves and reports the first sequence where
 * it breaks: an edited byte (HASH_MISMATCH), a deleted event (EVENT_MISSING), a deleted or
 * reordered chain entry (SEQUENCE_GAP / HASH_MISMATCH), an event slipped in below the sealer's
 * checkpoint (UNSEALED_EVENT), or a chain that no longer ends at its recorded head.
 */
export async function verifyChain(pool: Pool, tenantId: string): Promise<ChainReport> {
  validateTenant(tenantId);
  return withTenant(
    pool,
    tenantId,
    async (client) => {
      const report = (
        checked: number,
        head: ChainReport['head'],
        broken?: { sequence: number; reason: ChainBreak; detail: string },
      ): ChainReport => ({
        tenantId,
        ok: !broken,
        checked,
        head,
        firstBrokenSequence: broken?.sequence ?? null,
        reason: broken?.reason ?? null,
        detail: broken?.detail ?? null,
      });
      const headRow = (
        await client.query<{ tenant_sequence: string; hash: Buffer }>(
          'SELECT tenant_sequence, hash FROM audit_heads WHERE tenant_id = $1',
          [tenantId],
        )
      ).rows[0];
      const head = headRow
        ? { sequence: Number(headRow.tenant_sequence), hash: headRow.hash.toString('hex') }
        : null;

      let previous: Buffer = GENESIS_HASH;
      let sequence = 0;
      for (;;) {
        const { rows } = await client.query<
          ReadAllRow & { tenant_sequence: string; chain_position: string; hash: Buffer }
        >(
          `SELECT a.tenant_sequence, a.global_position AS chain_position, a.hash,
                  e.global_position, e.tenant_id, e.stream_id, e.stream_version, e.event_id, e.type,
                  e.data, e.metadata, e.recorded_at, e.transaction_id::text AS transaction_id
             FROM audit_chain a
             LEFT JOIN events e ON e.tenant_id = a.tenant_id AND e.global_position = a.global_position
            WHERE a.tenant_id = $1 AND a.tenant_sequence > $2
            ORDER BY a.tenant_sequence LIMIT ${PAGE}`,
          [tenantId, sequence],
        );
        for (const row of rows) {
          const expected = sequence + 1;
          if (Number(row.tenant_sequence) !== expected) {
            return report(sequence, head, {
              sequence: expected,
              reason: 'SEQUENCE_GAP',
              detail: `entry ${expected} is missing`,
            });
          }
          if (row.global_position === null) {
            return report(sequence, head, {
              sequence: expected,
              reason: 'EVENT_MISSING',
              detail: `the event at position ${row.chain_position} is gone`,
            });
          }
          const hash = chainHash(previous, toRecorded(row));
          if (!hash.equals(row.hash)) {
            return report(sequence, head, {
              sequence: expected,
              reason: 'HASH_MISMATCH',
              detail: `event at position ${row.chain_position} differs from what was sealed`,
            });
          }
          previous = hash;
          sequence = expected;
        }
        if (rows.length < PAGE) break;
      }
      if (head && (head.sequence !== sequence || head.hash !== previous.toString('hex'))) {
        return report(sequence, head, {
          sequence: Math.min(sequence, head.sequence) + 1,
          reason: 'HEAD_MISMATCH',
          detail: `the chain ends at #${sequence}, the recorded head is #${head.sequence}`,
        });
      }
      // events below the sealer's checkpoint that are not in the chain were slipped in afterwards
      const unsealed = (
        await client.query<{ global_position: string; next_sequence: string | null }>(
          `SELECT e.global_position,
                  (SELECT min(a.tenant_sequence) FROM audit_chain a
                    WHERE a.tenant_id = e.tenant_id AND a.global_position > e.global_position) AS next_sequence
             FROM events e, subscription_checkpoints c
            WHERE c.name = $2 AND e.tenant_id = $1
              AND (e.transaction_id, e.global_position) <= (c.transaction_id, c.global_position)
              AND NOT EXISTS (SELECT 1 FROM audit_chain a
                               WHERE a.tenant_id = e.tenant_id AND a.global_position = e.global_position)
            ORDER BY e.global_position LIMIT 1`,
          [tenantId, AUDIT_SEALER],
        )
      ).rows[0];
      if (unsealed) {
        return report(sequence, head, {
          sequence: unsealed.next_sequence === null ? sequence + 1 : Number(unsealed.next_sequence),
          reason: 'UNSEALED_EVENT',
          detail: `the event at position ${unsealed.global_position} was never sealed`,
        });
      }
      return report(sequence, head);
    },
    { readOnly: true },
  );
}
