import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** AES-256-GCM pieces: 96-bit nonce, 128-bit tag, 256-bit keys. */
export const IV_BYTES = 12;
const TAG_BYTES = 16;
export const KEY_BYTES = 32;
/** Marks the ciphertext format (version 1: base64url of iv | tag | body), for a later rotation. */
export const CIPHERTEXT_PREFIX = 'pii1.';

export type PersonalDataErrorCode =
  'PERSONAL_DATA_ERASED' | 'PERSONAL_DATA_KEY_UNKNOWN' | 'PERSONAL_DATA_UNREADABLE';

/**
 * Why a protected value cannot be read (or written). Messages never hold a plaintext, a
 * ciphertext or key material, only ids.
 */
export class PersonalDataError extends Error {
  constructor(
    readonly code: PersonalDataErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'PersonalDataError';
  }
}

export const isPersonalDataErased = (error: unknown): boolean =>
  error instanceof PersonalDataError && error.code === 'PERSONAL_DATA_ERASED';

/** `iv`: 12 fresh random bytes, given by a caller that draws them for many values at once. */
export function seal(
  key: Buffer,
  plaintext: Buffer,
  aad: string,
  iv: Buffer = randomBytes(IV_BYTES),
): Buffer {
  if (iv.length !== IV_BYTES) throw new Error(`A nonce must be ${IV_BYTES} bytes`);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), body]);
}

/** Throws (without details) when the key, the AAD or the bytes do not match. */
export function open(key: Buffer, sealed: Buffer, aad: string): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) {
    throw new PersonalDataError('PERSONAL_DATA_UNREADABLE', 'The protected value is malformed');
  }
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(sealed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([
      decipher.update(sealed.subarray(IV_BYTES + TAG_BYTES)),
      decipher.final(),
    ]);
  } catch {
    throw new PersonalDataError(
      'PERSONAL_DATA_UNREADABLE',
      'The protected value does not authenticate with its key',
    );
  }
}

/** A key-encryption key from its base64 (or base64url) form: exactly 32 bytes. */
export function parseKek(encoded: string): Buffer {
  const key = Buffer.from(encoded.trim(), 'base64');
  if (key.length !== KEY_BYTES) {
    throw new Error(`The PII master key must be ${KEY_BYTES} bytes, base64 encoded`);
  }
  return key;
}

/**
 * Development only: the key-encryption key in `<dataDir>/pii-master-key` (base64, mode 0600),
 * generated on first use. Production passes PII_MASTER_KEY through the config instead; losing
 * this file makes every protected value unreadable.
 */
export function developmentKek(dataDir: string): Buffer {
  const file = join(dataDir, 'pii-master-key');
  if (existsSync(file)) return parseKek(readFileSync(file, 'utf8'));
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  return key;
}

/**
 * For display without the PII-reading permission: the first 3 and the last 4 characters of a
 * value of 8 or more characters, the rest starred, length kept (national id
 * `110***********1234`, mobile `138****5678`); shorter values are starred entirely.
 */
export function maskPersonalValue(plaintext: string): string {
  const chars = Array.from(plaintext.trim());
  if (chars.length < 8) return '*'.repeat(chars.length);
  const hidden = chars.length - 7;
  return `${chars.slice(0, 3).join('')}${'*'.repeat(hidden)}${chars.slice(-4).join('')}`;
}
