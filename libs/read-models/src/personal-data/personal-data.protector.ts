import { randomBytes, randomUUID } from 'node:crypto';
import { withTenant } from '@app/database';
import type { PersonalDataProtector, ProtectedValue } from '@app/unions';
import type { Pool, PoolClient } from 'pg';
import {
  CIPHERTEXT_PREFIX,
  IV_BYTES,
  KEY_BYTES,
  PersonalDataError,
  type PersonalDataErrorCode,
  maskPersonalValue,
  open,
  seal,
} from './personal-data.crypto';

interface KeyRow {
  key_id: string;
  member_id: string;
  wrapped_key: Buffer | null;
}

export type RevealResult =
  | { readonly ok: true; readonly plaintext: string }
  | { readonly ok: false; readonly code: PersonalDataErrorCode };

export interface ErasedKey {
  readonly memberId: string;
  readonly keyId: string;
  /** When the key was destroyed (the first erasure: erasing again changes nothing). */
  readonly erasedAt: string;
}

// Associated data binds each wrapped key to its row and each ciphertext to its key and tenant,
// so neither can be moved to another member or tenant.
const keyAad = (tenantId: string, memberId: string, keyId: string) =>
  `pii-key|${tenantId}|${memberId}|${keyId}`;
const valueAad = (tenantId: string, keyId: string) => `pii|${tenantId}|${keyId}`;
// the masked form has its own associated data: it cannot pass for the full value, nor back
const maskedAad = (tenantId: string, keyId: string) => `pii-masked|${tenantId}|${keyId}`;

/** `full`: the plaintext (PII-reading permission); `masked`: `110***********1234`. */
export type RevealMode = 'full' | 'masked';

const SELECT_KEY = 'SELECT key_id, member_id, wrapped_key FROM pii_keys WHERE tenant_id = $1';

/**
 * Personal data (national id, phone) under AES-256-GCM with one random data key per member
 * (PIPL). Data keys are stored only wrapped by the key-encryption key (`kek`, 32 bytes: the
 * PII_MASTER_KEY) in `pii_keys`, with row-level security like every tenant table. `erase`
 * destroys the member's data key: every ciphertext made with it, in events or anywhere else,
 * becomes unreadable for good while the history itself stays intact and verifiable.
 *
 * Nothing here logs, and no error carries a plaintext, a ciphertext or key material. Unwrapped
 * keys are not cached, so an erasure takes effect at once in every process.
 */
export class PostgresPersonalDataProtector implements PersonalDataProtector {
  private readonly kek: Buffer;

  constructor(
    private readonly pool: Pool,
    kek: Buffer,
  ) {
    if (kek.length !== KEY_BYTES) throw new Error(`The PII master key must be ${KEY_BYTES} bytes`);
    this.kek = Buffer.from(kek);
  }

  /**
   * Encrypts with the member's data key, created on first use (two concurrent calls for a new
   * member agree on one key). A member whose personal data was erased gets no new key.
   */
  protect(tenantId: string, memberId: string, plaintext: string): Promise<ProtectedValue> {
    return withTenant(this.pool, tenantId, async (client) => {
      const row = await this.memberKey(client, tenantId, memberId);
      const dataKey = this.unwrap(tenantId, row);
      try {
        const sealAs = (text: string, aad: string) =>
          CIPHERTEXT_PREFIX + seal(dataKey, Buffer.from(text, 'utf8'), aad).toString('base64url');
        return {
          ciphertext: sealAs(plaintext, valueAad(tenantId, row.key_id)),
          keyId: row.key_id,
          masked: sealAs(maskPersonalValue(plaintext), maskedAad(tenantId, row.key_id)),
        };
      } finally {
        dataKey.fill(0);
      }
    });
  }

  /**
   * A bulk import: the members' keys are read, the missing ones created in one multi-row insert
   * (a racing first call wins the unique constraint and its key is read back), all in one
   * transaction; then every value is sealed in process.
   */
  protectMany(
    tenantId: string,
    items: readonly { readonly memberId: string; readonly plaintext: string }[],
  ): Promise<ProtectedValue[]> {
    if (items.length === 0) return Promise.resolve([]);
    return withTenant(this.pool, tenantId, async (client) => {
      const memberIds = [...new Set(items.map((item) => item.memberId))];
      const { keys, created } = await this.memberKeys(client, tenantId, memberIds);
      // keys this call created are used as drawn (unwrapping what was just wrapped costs one
      // AES-GCM operation per member); keys found in the table are unwrapped
      const unwrapped = new Map<string, { keyId: string; key: Buffer }>();
      // every nonce of the call from one draw of the random generator, not one per value
      const nonces = randomBytes(items.length * IV_BYTES);
      try {
        return items.map(({ memberId, plaintext }, i) => {
          let entry = unwrapped.get(memberId);
          if (entry === undefined) {
            const row = keys.get(memberId);
            if (!row) throw new Error('no personal data key row after insert');
            entry = { keyId: row.key_id, key: created.get(memberId) ?? this.unwrap(tenantId, row) };
            unwrapped.set(memberId, entry);
          }
          const sealed = seal(
            entry.key,
            Buffer.from(plaintext, 'utf8'),
            valueAad(tenantId, entry.keyId),
            nonces.subarray(i * IV_BYTES, (i + 1) * IV_BYTES),
          );
          return {
            ciphertext: CIPHERTEXT_PREFIX + sealed.toString('base64url'),
            keyId: entry.keyId,
          };
        });
      } finally {
        for (const { key } of unwrapped.values()) key.fill(0);
        for (const key of created.values()) key.fill(0);
      }
    });
  }

  /** The plaintext; a PersonalDataError when the key was erased, is unknown here, or fails. */
  async reveal(tenantId: string, value: ProtectedValue): Promise<string> {
    const [result] = await this.revealMany(tenantId, [value]);
    if (!result) throw new PersonalDataError('PERSONAL_DATA_UNREADABLE', 'Nothing to reveal');
    if (!result.ok) throw errorFor(result.code, value.keyId);
    return result.plaintext;
  }

  /**
   * Many values in one read (a page of members), one result per value in order. `masked`
   * decrypts only the masked form; a value protected before masked forms existed is decrypted
   * and masked here, and the plaintext never leaves this function.
   */
  revealMany(
    tenantId: string,
    values: readonly ProtectedValue[],
    mode: RevealMode = 'full',
  ): Promise<RevealResult[]> {
    if (values.length === 0) return Promise.resolve([]);
    return withTenant(
      this.pool,
      tenantId,
      async (client) => {
        const keyIds = [...new Set(values.map((value) => value.keyId))];
        const { rows } = await client.query<KeyRow>(`${SELECT_KEY} AND key_id = ANY($2::text[])`, [
          tenantId,
          keyIds,
        ]);
        const keys = new Map<string, Buffer | PersonalDataErrorCode>();
        for (const keyId of keyIds) {
          const row = rows.find((r) => r.key_id === keyId);
          keys.set(keyId, this.tryUnwrap(tenantId, row));
        }
        try {
          return values.map((value) => decrypt(tenantId, value, keys.get(value.keyId), mode));
        } finally {
          for (const key of keys.values()) if (typeof key !== 'string') key.fill(0);
        }
      },
      { readOnly: true },
    );
  }

  /**
   * Crypto-shredding: destroys the member's data key (idempotent). A member without personal data
   * gets a tombstone, so that none can be protected for them afterwards either.
   */
  erase(tenantId: string, memberId: string): Promise<ErasedKey> {
    return withTenant(this.pool, tenantId, async (client) => {
      const { rows } = await client.query<{ key_id: string; erased_at: string }>(
        `INSERT INTO pii_keys (tenant_id, key_id, member_id, wrapped_key, erased_at)
         VALUES ($1, $2, $3, NULL, now())
         ON CONFLICT (tenant_id, member_id)
           DO UPDATE SET wrapped_key = NULL, erased_at = COALESCE(pii_keys.erased_at, now())
         RETURNING key_id, erased_at::text`,
        [tenantId, newKeyId(), memberId],
      );
      const row = rows[0];
      if (!row) throw new Error('erase wrote no row');
      return { memberId, keyId: row.key_id, erasedAt: row.erased_at };
    });
  }

  /** Whether the member's personal data was erased. */
  isErased(tenantId: string, memberId: string): Promise<boolean> {
    return withTenant(
      this.pool,
      tenantId,
      async (client) => {
        const { rows } = await client.query<KeyRow>(`${SELECT_KEY} AND member_id = $2`, [
          tenantId,
          memberId,
        ]);
        return rows[0] !== undefined && rows[0].wrapped_key === null;
      },
      { readOnly: true },
    );
  }

  private async memberKey(client: PoolClient, tenantId: string, memberId: string): Promise<KeyRow> {
    const select = async () =>
      (await client.query<KeyRow>(`${SELECT_KEY} AND member_id = $2`, [tenantId, memberId]))
        .rows[0];
    const existing = await select();
    if (existing) return existing;
    const keyId = newKeyId();
    const dataKey = randomBytes(KEY_BYTES);
    const wrapped = seal(this.kek, dataKey, keyAad(tenantId, memberId, keyId));
    dataKey.fill(0);
    // a concurrent first call for the same member wins the unique constraint: use its key
    const inserted = await client.query<KeyRow>(
      `INSERT INTO pii_keys (tenant_id, key_id, member_id, wrapped_key) VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, member_id) DO NOTHING
       RETURNING key_id, member_id, wrapped_key`,
      [tenantId, keyId, memberId, wrapped],
    );
    const row = inserted.rows[0] ?? (await select());
    if (!row) throw new Error('no personal data key row after insert');
    return row;
  }

  /**
   * The members' key rows, and the plain data keys of those this call created (zeroed by the
   * caller); a member whose key a racing call created gets that key's row, to be unwrapped.
   */
  private async memberKeys(
    client: PoolClient,
    tenantId: string,
    memberIds: readonly string[],
  ): Promise<{ keys: Map<string, KeyRow>; created: Map<string, Buffer> }> {
    const select = async (ids: readonly string[]) =>
      (await client.query<KeyRow>(`${SELECT_KEY} AND member_id = ANY($2::text[])`, [tenantId, ids]))
        .rows;
    const keys = new Map((await select(memberIds)).map((row) => [row.member_id, row]));
    const created = new Map<string, Buffer>();
    const missing = memberIds.filter((id) => !keys.has(id));
    if (missing.length === 0) return { keys, created };
    const keyIds = missing.map(() => newKeyId());
    // the data keys and their wrapping nonces in one draw of the random generator
    const PER_KEY = KEY_BYTES + IV_BYTES;
    const material = randomBytes(missing.length * PER_KEY);
    const dataKey = (i: number) => material.subarray(i * PER_KEY, i * PER_KEY + KEY_BYTES);
    try {
      const wrapped = missing.map((memberId, i) =>
        seal(
          this.kek,
          dataKey(i),
          keyAad(tenantId, memberId, keyIds[i] ?? ''),
          material.subarray(i * PER_KEY + KEY_BYTES, (i + 1) * PER_KEY),
        ),
      );
      const inserted = await client.query<KeyRow>(
        `INSERT INTO pii_keys (tenant_id, key_id, member_id, wrapped_key)
         SELECT $1, k, m, w FROM unnest($2::text[], $3::text[], $4::bytea[]) AS x(k, m, w)
         ON CONFLICT (tenant_id, member_id) DO NOTHING
         RETURNING key_id, member_id, wrapped_key`,
        [tenantId, keyIds, missing, wrapped],
      );
      const index = new Map(missing.map((memberId, i) => [memberId, i]));
      for (const row of inserted.rows) {
        keys.set(row.member_id, row);
        const i = index.get(row.member_id);
        // the row as inserted by this call (its key id), not a racing call's
        if (i !== undefined && keyIds[i] === row.key_id)
          created.set(row.member_id, Buffer.from(dataKey(i)));
      }
    } finally {
      material.fill(0);
    }
    const raced = missing.filter((id) => !keys.has(id));
    if (raced.length > 0) for (const row of await select(raced)) keys.set(row.member_id, row);
    return { keys, created };
  }

  private unwrap(tenantId: string, row: KeyRow): Buffer {
    const key = this.tryUnwrap(tenantId, row);
    if (typeof key === 'string') throw errorFor(key, row.key_id);
    return key;
  }

  private tryUnwrap(tenantId: string, row: KeyRow | undefined): Buffer | PersonalDataErrorCode {
    if (!row) return 'PERSONAL_DATA_KEY_UNKNOWN';
    if (row.wrapped_key === null) return 'PERSONAL_DATA_ERASED';
    try {
      return open(this.kek, row.wrapped_key, keyAad(tenantId, row.member_id, row.key_id));
    } catch {
      return 'PERSONAL_DATA_UNREADABLE';
    }
  }
}

function decrypt(
  tenantId: string,
  value: ProtectedValue,
  key: Buffer | PersonalDataErrorCode | undefined,
  mode: RevealMode,
): RevealResult {
  if (key === undefined) return { ok: false, code: 'PERSONAL_DATA_KEY_UNKNOWN' };
  if (typeof key === 'string') return { ok: false, code: key };
  const useMasked = mode === 'masked' && value.masked !== undefined;
  const text = (useMasked ? value.masked : undefined) ?? value.ciphertext;
  if (!text.startsWith(CIPHERTEXT_PREFIX)) return { ok: false, code: 'PERSONAL_DATA_UNREADABLE' };
  try {
    const sealed = Buffer.from(text.slice(CIPHERTEXT_PREFIX.length), 'base64url');
    const aad = (useMasked ? maskedAad : valueAad)(tenantId, value.keyId);
    const plaintext = open(key, sealed, aad).toString();
    return {
      ok: true,
      plaintext: mode === 'masked' && !useMasked ? maskPersonalValue(plaintext) : plaintext,
    };
  } catch {
    return { ok: false, code: 'PERSONAL_DATA_UNREADABLE' };
  }
}

function errorFor(code: PersonalDataErrorCode, keyId: string): PersonalDataError {
  switch (code) {
    case 'PERSONAL_DATA_ERASED':
      return new PersonalDataError(code, `The personal data under key ${keyId} was erased`);
    case 'PERSONAL_DATA_KEY_UNKNOWN':
      return new PersonalDataError(code, `No personal data key ${keyId} in this tenant`);
    case 'PERSONAL_DATA_UNREADABLE':
      return new PersonalDataError(code, `The value under key ${keyId} cannot be decrypted`);
  }
}

const newKeyId = (): string => `pk-${randomUUID()}`;
