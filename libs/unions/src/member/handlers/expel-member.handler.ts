import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  decisionDate,
  officerData,
  runMemberCommand,
  unionOfMember,
  type MemberOutcome,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';

export interface ExpelMemberInput {
  memberId: string;
  criminalSanctionRef: string;
  committeeDecisionRef: string;
  decidedOn?: IsoDate;
}

/**
 * Art. 19(5): expulsion with a criminal sanction and a committee decision, filed with the parent
 * of the member's union (looked up in the tree, never given by the caller).
 */
export class ExpelMemberCommand extends Command<MemberOutcome> {
  constructor(
    readonly input: ExpelMemberInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ExpelMemberCommand)
export class ExpelMemberHandler implements ICommandHandler<ExpelMemberCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: ExpelMemberCommand): Promise<MemberOutcome> {
    const decidedOn = decisionDate(metadata, input.decidedOn);
    return runMemberCommand({
      store: this.store,
      metadata,
      memberId: input.memberId,
      withSettings: true,
      build: async (state, settings) => {
        const unionId = unionOfMember(state);
        const [officer, union] = await Promise.all([
          officerData(this.store, this.facts, metadata, state, decidedOn, settings),
          unionId === null ? null : this.facts.union(metadata.tenantId, unionId),
        ]);
        const path = union === null || union.status === 'NOT_FOUND' ? [] : union.path;
        return {
          type: 'ExpelMember',
          metadata,
          data: {
            ...officer,
            criminalSanctionRef: input.criminalSanctionRef,
            committeeDecisionRef: input.committeeDecisionRef,
            decidedOn,
            // The COMPANY union has no parent: it files with itself.
            parentUnionId: path.at(-2)?.unionId ?? path.at(-1)?.unionId ?? '',
          },
        };
      },
    });
  }
}
