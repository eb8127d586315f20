import { streamId, type Event, type IsoDate } from '@app/core';

/**
 * PIPL: the member's personal data key was destroyed (crypto-shredding). The national id and
 * phone ciphertexts in the member's history stay where they are, unreadable for good; this event
 * records who erased them and when, in a stream of its own so that the member's history, its
 * folds and the audit chain are untouched.
 */
export type PersonalDataErased = Event<
  'PersonalDataErased',
  {
    memberId: string;
    /** The union the member belonged to when erased (audit: where it happened). */
    unionId: string;
    keyId: string;
    erasedOn: IsoDate;
    reason: string | null;
  }
>;

/** One stream per member (`personal-data-<memberId>`): at most one erasure. */
export const personalDataStreamId = (memberId: string): string =>
  streamId('personal-data', memberId);
