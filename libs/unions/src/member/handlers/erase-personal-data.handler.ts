import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { memberDecider, memberStreamId } from '../member.decider';
import { memberError } from '../member.errors';
import { personalDataStreamId, type PersonalDataErased } from '../personal-data.events';
import {
  appendOptions,
  decisionDate,
  isConcurrencyConflict,
  unionOfMember,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';
import { PERSONAL_DATA_PROTECTOR, type PersonalDataProtector } from './personal-data.port';

export interface EraseMemberPersonalDataInput {
  memberId: string;
  reason?: string | null;
}

export interface ErasureOutcome {
  readonly memberId: string;
  /** Position of the PersonalDataErased event (the first one, when erased before). */
  readonly position: number;
  readonly duplicate: boolean;
}

/**
 * PIPL erasure by crypto-shredding: destroys the member's data key, then records
 * PersonalDataErased. The key goes first, so a crash in between leaves the data erased and a
 * retry (same command id) only writes the record. Erasing again, with any command id, changes
 * nothing and answers with the first erasure.
 */
export class EraseMemberPersonalDataCommand extends Command<ErasureOutcome> {
  constructor(
    readonly input: EraseMemberPersonalDataInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(EraseMemberPersonalDataCommand)
export class EraseMemberPersonalDataHandler implements ICommandHandler<EraseMemberPersonalDataCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  async execute({ input, metadata }: EraseMemberPersonalDataCommand): Promise<ErasureOutcome> {
    const { tenantId } = metadata;
    const { memberId } = input;
    const member = await this.store.aggregateStream(
      tenantId,
      memberStreamId(memberId),
      memberDecider,
    );
    const unionId = unionOfMember(member.state);
    if (unionId === null) throw memberError('MEMBER_NOT_FOUND');
    const actsFor = await this.facts.actsFor(tenantId, metadata.actor, [unionId]);
    if (!actsFor.includes(unionId)) throw memberError('NOT_AUTHORISED_FOR_UNION');

    const { keyId } = await this.protector.erase(tenantId, memberId);
    const event: PersonalDataErased = {
      type: 'PersonalDataErased',
      data: {
        memberId,
        unionId,
        keyId,
        erasedOn: decisionDate(metadata),
        reason: input.reason?.trim() || null,
      },
    };
    try {
      const result = await this.store.appendToStream(
        tenantId,
        personalDataStreamId(memberId),
        [event],
        { expectedVersion: 'no_stream', ...appendOptions(metadata) },
      );
      return { memberId, position: result.position, duplicate: result.duplicate };
    } catch (error) {
      if (!isConcurrencyConflict(error)) throw error;
      // erased before (under another command id): the first erasure stands
      const { events } = await this.store.readStream(tenantId, personalDataStreamId(memberId));
      const first = events[0];
      if (!first) throw error;
      return { memberId, position: first.globalPosition, duplicate: true };
    }
  }
}
