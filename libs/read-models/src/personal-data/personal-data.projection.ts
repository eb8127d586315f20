import type { MemberEvent, PersonalDataErased, ProtectedValue } from '@app/unions';
import type { PoolClient } from 'pg';
import type { Projection, TenantBatch } from '../runner/projection';

export const PERSONAL_DATA_PROJECTION = 'personal-data';

type Handled = Extract<MemberEvent, { type: 'MembershipApplied' | 'MemberImported' }>;
const TYPES: ReadonlySet<string> = new Set<(Handled | PersonalDataErased)['type']>([
  'MembershipApplied',
  'MemberImported',
  'PersonalDataErased',
]);

/**
 * Where the API finds a member's national id and phone: the ciphertexts the events carry (never
 * plaintext), one row per member, and the erasure, after which the row keeps no ciphertext
 * either. Set-based: one statement per batch; rows remember their last position, so a batch
 * applied twice changes nothing.
 */
export class PersonalDataProjection implements Projection {
  readonly name = PERSONAL_DATA_PROJECTION;
  readonly eventTypes = TYPES;
  readonly tables = ['rm_member_personal_data'];

  async apply(client: PoolClient, { tenantId, events }: TenantBatch): Promise<void> {
    const rows = events
      .filter((e) => TYPES.has(e.type))
      .map((recorded) => {
        const event = recorded as unknown as Handled | PersonalDataErased;
        const base = { position: recorded.globalPosition, member_id: event.data.memberId };
        if (event.type === 'PersonalDataErased') {
          return { ...base, key_id: event.data.keyId, erased_on: event.data.erasedOn };
        }
        const values = [event.data.nationalId, event.data.phone];
        return {
          ...base,
          key_id: values.find((v): v is ProtectedValue => v !== null)?.keyId ?? null,
          national_id: event.data.nationalId,
          phone: event.data.phone,
          erased_on: null,
        };
      });
    if (rows.length === 0) return;
    // a member appears once per batch at most twice (created, erased): fold in position order
    await client.query(
      `WITH x AS (
         SELECT * FROM jsonb_to_recordset($2::jsonb)
           AS x(position bigint, member_id text, key_id text, national_id jsonb, phone jsonb, erased_on date)
       ), folded AS (
         SELECT member_id,
                max(position) AS position,
                (array_agg(key_id ORDER BY position) FILTER (WHERE key_id IS NOT NULL))[1] AS key_id,
                (array_agg(national_id ORDER BY position) FILTER (WHERE erased_on IS NULL))[1] AS national_id,
                (array_agg(phone ORDER BY position) FILTER (WHERE erased_on IS NULL))[1] AS phone,
                max(erased_on) AS erased_on
           FROM x GROUP BY member_id
       )
       INSERT INTO rm_member_personal_data AS r
             (tenant_id, member_id, key_id, national_id, phone, erased_on, last_position)
       SELECT $1, member_id, key_id,
              CASE WHEN erased_on IS NULL THEN national_id END,
              CASE WHEN erased_on IS NULL THEN phone END,
              erased_on, position
         FROM folded
       ON CONFLICT (tenant_id, member_id) DO UPDATE SET
         key_id = COALESCE(r.key_id, EXCLUDED.key_id),
         national_id = CASE WHEN COALESCE(r.erased_on, EXCLUDED.erased_on) IS NULL
                            THEN COALESCE(r.national_id, EXCLUDED.national_id) END,
         phone = CASE WHEN COALESCE(r.erased_on, EXCLUDED.erased_on) IS NULL
                      THEN COALESCE(r.phone, EXCLUDED.phone) END,
         erased_on = COALESCE(r.erased_on, EXCLUDED.erased_on),
         last_position = EXCLUDED.last_position
       WHERE r.last_position < EXCLUDED.last_position`,
      [tenantId, JSON.stringify(rows)],
    );
  }
}

export interface PersonalDataRow {
  readonly memberId: string;
  readonly nationalId: ProtectedValue | null;
  readonly phone: ProtectedValue | null;
  readonly erased: boolean;
}

/** The rows of these members (absent: the member has no personal data on record). */
export async function personalDataOf(
  client: PoolClient,
  tenantId: string,
  memberIds: readonly string[],
): Promise<Map<string, PersonalDataRow>> {
  const { rows } = await client.query<{
    member_id: string;
    national_id: ProtectedValue | null;
    phone: ProtectedValue | null;
    erased: boolean;
  }>(
    `SELECT member_id, national_id, phone, erased_on IS NOT NULL AS erased
       FROM rm_member_personal_data WHERE tenant_id = $1 AND member_id = ANY($2::text[])`,
    [tenantId, memberIds],
  );
  return new Map(
    rows.map((r) => [
      r.member_id,
      { memberId: r.member_id, nationalId: r.national_id, phone: r.phone, erased: r.erased },
    ]),
  );
}
