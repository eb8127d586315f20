import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { withTenant } from '@app/database';
import {
  PersonalDataError,
  PostgresPersonalDataProtector,
  developmentKek,
  isPersonalDataErased,
  maskPersonalValue,
  parseKek,
} from '@app/read-models';
import { createTestDatabase, type TestDatabase } from '@app/testing';

const NATIONAL_ID = '110101199003071234';
const PHONE = '13812345678';

describe('personal data protector (AES-256-GCM, a wrapped key per member)', () => {
  let db: TestDatabase;
  let protector: PostgresPersonalDataProtector;
  const kek = randomBytes(32);
  const A = `tenant-a-${randomUUID()}`;
  const B = `tenant-b-${randomUUID()}`;

  beforeAll(async () => {
    db = await createTestDatabase();
    protector = new PostgresPersonalDataProtector(db.appPool, kek);
  });
  afterAll(() => db.close());

  const keyRows = async () =>
    (
      await db.ownerPool.query<{ tenant_id: string; member_id: string; wrapped: string | null }>(
        `SELECT tenant_id, member_id, encode(wrapped_key, 'hex') AS wrapped FROM pii_keys`,
      )
    ).rows;

  it('round-trips, and the ciphertext holds nothing of the plaintext', async () => {
    const id = await protector.protect(A, 'm1', NATIONAL_ID);
    const phone = await protector.protect(A, 'm1', PHONE);
    expect(id.keyId).toBe(phone.keyId); // one key per member
    expect(id.ciphertext).not.toContain(NATIONAL_ID);
    expect(id.ciphertext).not.toContain('1234');
    expect(Buffer.from(id.ciphertext.slice(5), 'base64url').toString('latin1')).not.toContain(
      NATIONAL_ID,
    );
    expect(await protector.reveal(A, id)).toBe(NATIONAL_ID);
    expect(await protector.reveal(A, phone)).toBe(PHONE);
    // the same plaintext twice gives two ciphertexts (random nonce)
    expect((await protector.protect(A, 'm1', PHONE)).ciphertext).not.toBe(phone.ciphertext);
  });

  it('gives every member a key of their own, stored only wrapped', async () => {
    const values = await Promise.all(
      ['m2', 'm3', 'm4'].map((member) => protector.protect(A, member, PHONE)),
    );
    expect(new Set(values.map((v) => v.keyId)).size).toBe(3);
    // concurrent first calls for one member agree on one key
    const racing = await Promise.all(
      Array.from({ length: 8 }, () => protector.protect(A, 'm5', NATIONAL_ID)),
    );
    expect(new Set(racing.map((v) => v.keyId)).size).toBe(1);
    // a value cannot be moved to another key: the associated data binds it
    const forged = { ciphertext: values[0]!.ciphertext, keyId: values[1]!.keyId };
    await expect(protector.reveal(A, forged)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_UNREADABLE',
    });
    const rows = (await keyRows()).filter((row) => row.tenant_id === A);
    expect(rows).toHaveLength(5); // m1 … m5
    for (const row of rows) expect(row.wrapped).toHaveLength(2 * (12 + 16 + 32));
  });

  it('protects in bulk with the keys it creates, agreeing with racing calls on one key per member', async () => {
    const old = await protector.protect(A, 'bulk-old', PHONE);
    const members = ['bulk-old', ...Array.from({ length: 40 }, (_, i) => `bulk-${i}`)];
    const items = members.flatMap((memberId, i) => [
      { memberId, plaintext: `${NATIONAL_ID.slice(0, 14)}${String(1000 + i)}` },
      { memberId, plaintext: `1381234${String(5000 + i)}` },
    ]);
    // three calls racing for the same new members: each creates keys, one per member wins
    const results = await Promise.all([1, 2, 3].map(() => protector.protectMany(A, items)));
    for (const sealed of results) {
      expect(sealed).toHaveLength(items.length);
      expect(sealed[0]?.keyId).toBe(old.keyId); // an existing key is used, not replaced
      expect((await protector.revealMany(A, sealed)).map((r) => r.ok && r.plaintext)).toEqual(
        items.map((item) => item.plaintext),
      );
    }
    const keyOf = (i: number) => results.map((sealed) => sealed[i]?.keyId);
    for (let i = 0; i < items.length; i += 2) {
      expect(new Set([...keyOf(i), ...keyOf(i + 1)]).size).toBe(1);
    }
    const stored = (await keyRows()).filter((row) => row.member_id.startsWith('bulk-'));
    expect(stored).toHaveLength(members.length);
  });

  it('keeps tenants apart', async () => {
    const value = await protector.protect(A, 'm6', PHONE);
    await expect(protector.reveal(B, value)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_KEY_UNKNOWN',
    });
    const count = await withTenant(db.appPool, B, async (c) =>
      Number((await c.query<{ n: string }>('SELECT count(*) AS n FROM pii_keys')).rows[0]!.n),
    );
    expect(count).toBe(0);
  });

  it('erases: the key is gone, reveal fails with a typed error, history stays', async () => {
    const id = await protector.protect(A, 'gone', NATIONAL_ID);
    const phone = await protector.protect(A, 'gone', PHONE);
    const erased = await protector.erase(A, 'gone');
    expect(erased).toMatchObject({ memberId: 'gone', keyId: id.keyId });
    expect(await protector.isErased(A, 'gone')).toBe(true);
    expect(await protector.isErased(A, 'm1')).toBe(false);
    const error = await protector.reveal(A, id).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PersonalDataError);
    expect(isPersonalDataErased(error)).toBe(true);
    expect((error as Error).message).not.toContain(NATIONAL_ID);
    expect(await protector.revealMany(A, [phone, await protector.protect(A, 'm1', PHONE)])).toEqual(
      [
        { ok: false, code: 'PERSONAL_DATA_ERASED' },
        { ok: true, plaintext: PHONE },
      ],
    );
    // no new key for an erased member; erasing again changes nothing
    await expect(protector.protect(A, 'gone', PHONE)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_ERASED',
    });
    expect((await protector.erase(A, 'gone')).erasedAt).toBe(erased.erasedAt);
    const row = (await keyRows()).find((r) => r.member_id === 'gone');
    expect(row).toMatchObject({ wrapped: null });
    // a member without personal data gets a tombstone
    await protector.erase(A, 'never-had-any');
    await expect(protector.protect(A, 'never-had-any', PHONE)).rejects.toBeInstanceOf(
      PersonalDataError,
    );
  });

  it('cannot unwrap with another master key', async () => {
    const value = await protector.protect(A, 'm7', PHONE);
    const other = new PostgresPersonalDataProtector(db.appPool, randomBytes(32));
    await expect(other.reveal(A, value)).rejects.toMatchObject({
      code: 'PERSONAL_DATA_UNREADABLE',
    });
    expect(() => new PostgresPersonalDataProtector(db.appPool, randomBytes(16))).toThrow(
      /32 bytes/,
    );
  });

  it('leaves no plaintext in the database', async () => {
    await protector.protect(A, 'm8', NATIONAL_ID);
    const { rows } = await db.ownerPool.query<{ n: string }>(
      `SELECT count(*) AS n FROM pii_keys
        WHERE position($1 in row_to_json(pii_keys)::text) > 0
           OR position(convert_to($1, 'UTF8') in coalesce(wrapped_key, '')) > 0`,
      [NATIONAL_ID],
    );
    expect(rows[0]!.n).toBe('0');
  });
});

describe('masking and the master key', () => {
  it('masks national ids, phones and short values', () => {
    expect(maskPersonalValue(NATIONAL_ID)).toBe('110***********1234');
    expect(maskPersonalValue(PHONE)).toBe('138****5678');
    expect(maskPersonalValue('12345')).toBe('*****');
    expect(maskPersonalValue('')).toBe('');
    expect(maskPersonalValue('11010119900307123X')).toBe('110***********123X');
  });

  it('parses a 32-byte base64 key and refuses others', () => {
    const key = randomBytes(32);
    expect(parseKek(key.toString('base64')).equals(key)).toBe(true);
    expect(parseKek(key.toString('base64url')).equals(key)).toBe(true);
    expect(() => parseKek(randomBytes(31).toString('base64'))).toThrow(/32 bytes/);
  });

  it('generates a development key once, readable by the owner only', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'pii-kek-')), 'nested');
    const first = developmentKek(dir);
    expect(first).toHaveLength(32);
    expect(developmentKek(dir).equals(first)).toBe(true);
    const file = join(dir, 'pii-master-key');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(parseKek(readFileSync(file, 'utf8')).equals(first)).toBe(true);
  });
});
