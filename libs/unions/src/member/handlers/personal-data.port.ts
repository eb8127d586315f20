import type { ProtectedValue } from '../member.state';

/**
 * Encrypts personal data (national id, phone) before it reaches a decider or an event. Keys are
 * per member so that erasing the key erases the value without rewriting history (PIPL).
 * Implementations must never log the plaintext.
 */
export interface PersonalDataProtector {
  protect(tenantId: string, memberId: string, plaintext: string): Promise<ProtectedValue>;
  /**
   * Crypto-shredding: destroys the member's data key (idempotent; a member without one gets a
   * tombstone so that none is made later). Every ciphertext under it becomes unreadable.
   */
  erase(tenantId: string, memberId: string): Promise<{ keyId: string; erasedAt: string }>;
  /**
   * Many values at once (a bulk import): one key per member, created in one round trip for all
   * the members that have none yet. One result per item, in order.
   */
  protectMany(
    tenantId: string,
    items: readonly { readonly memberId: string; readonly plaintext: string }[],
  ): Promise<ProtectedValue[]>;
}

export const PERSONAL_DATA_PROTECTOR = Symbol('PERSONAL_DATA_PROTECTOR');
