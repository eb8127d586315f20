import { streamId, type Event } from '@app/core';
import type { EventStore, StreamAppend } from '@app/event-store';
import { memberError } from '../member.errors';
import type { MemberEvent } from '../member.events';
import { isCardNumber } from '../member-checks.rules';
import type { MemberFactsPort } from './member-facts.port';

/**
 * Card numbers are unique per tenant, enforced by the store: issuing one also creates the stream
 * `card-number-<NUMBER>` (expected: no stream) in the same transaction, so two members can never
 * get the same number, even when two approvals race. Numbers compare case-insensitively.
 */
export type CardNumberReserved = Event<
  'CardNumberReserved',
  { cardNumber: string; memberId: string; generated: boolean }
>;

export const cardNumberStreamId = (cardNumber: string): string =>
  streamId('card-number', cardNumber.trim().toUpperCase());

/** Generated numbers: "M" and eight digits, counting per tenant (M00000001, M00000002, …). */
const GENERATED = /^M(\d{8,})$/;
export const formatGeneratedCardNumber = (sequence: number): string =>
  `M${String(sequence).padStart(8, '0')}`;

/** The sequence of a generated card number, null for a number given by an officer. */
export function generatedCardSequence(cardNumber: string): number | null {
  const match = GENERATED.exec(cardNumber);
  return match ? Number(match[1]) : null;
}

/** Candidates tried past the read model's last sequence before giving up (it lags by this much). */
const MAX_PROBES = 50;

export async function cardNumberTaken(
  store: EventStore,
  tenantId: string,
  cardNumber: string,
): Promise<boolean> {
  const { streamExists } = await store.readStream(tenantId, cardNumberStreamId(cardNumber), {
    fromVersion: 2 ** 31 - 1,
  });
  return streamExists;
}

export interface CardNumberChoice {
  readonly cardNumber: string;
  readonly cardNumberGenerated: boolean;
  readonly cardNumberInUse: boolean;
}

/** The officer's number (and whether it is taken), or the next free generated one. */
export async function chooseCardNumber(
  store: EventStore,
  facts: MemberFactsPort,
  tenantId: string,
  given: string | null | undefined,
): Promise<CardNumberChoice> {
  if (given !== null && given !== undefined && given.trim() !== '') {
    // A malformed number is refused by the decider; only a well-formed one names a stream.
    const inUse = isCardNumber(given) && (await cardNumberTaken(store, tenantId, given));
    return { cardNumber: given, cardNumberGenerated: false, cardNumberInUse: inUse };
  }
  const last = await facts.lastGeneratedCardSequence(tenantId);
  for (let next = last + 1; next <= last + MAX_PROBES; next++) {
    const candidate = formatGeneratedCardNumber(next);
    if (!(await cardNumberTaken(store, tenantId, candidate))) {
      return { cardNumber: candidate, cardNumberGenerated: true, cardNumberInUse: false };
    }
  }
  throw memberError('CARD_NUMBER_IN_USE');
}

/** The reservation streams for the card numbers the decided events issue. */
export function cardNumberReservations(events: readonly MemberEvent[]): StreamAppend[] {
  return events.flatMap((event): StreamAppend[] => {
    if (event.type !== 'MembershipApproved' && event.type !== 'MemberImported') return [];
    const reserved: CardNumberReserved = {
      type: 'CardNumberReserved',
      data: {
        cardNumber: event.data.cardNumber,
        memberId: event.data.memberId,
        generated: event.data.cardNumberGenerated,
      },
    };
    return [
      {
        streamId: cardNumberStreamId(event.data.cardNumber),
        events: [reserved],
        expectedVersion: 'no_stream',
      },
    ];
  });
}
