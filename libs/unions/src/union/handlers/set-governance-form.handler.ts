import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { loadSettings } from './run-command';
import type { GovernanceForm } from '../union.state';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';

export interface SetGovernanceFormInput {
  unionId: string;
  form: GovernanceForm;
  jointWithUnionIds?: string[];
  organizerMemberId?: string;
  effectiveOn?: IsoDate;
}

/** Art. 6: committee, joint committee or organiser, judged on the active members that day. */
export class SetGovernanceFormCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: SetGovernanceFormInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(SetGovernanceFormCommand)
export class SetGovernanceFormHandler implements ICommandHandler<SetGovernanceFormCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: SetGovernanceFormCommand): Promise<UnionOutcome> {
    const { tenantId } = metadata;
    const effectiveOn = businessDate(metadata, input.effectiveOn);
    return runUnionCommand(this.store, metadata, input.unionId, async () => ({
      type: 'SetGovernanceForm',
      metadata,
      data: {
        form: input.form,
        jointWith: await Promise.all(
          (input.jointWithUnionIds ?? []).map((id) => this.facts.union(tenantId, id)),
        ),
        organizer: input.organizerMemberId
          ? await this.facts.member(tenantId, input.organizerMemberId)
          : null,
        activeMembers: (await this.facts.counts(tenantId, input.unionId, effectiveOn))
          .activeMembers,
        effectiveOn,
        settings: await loadSettings(this.store, tenantId, effectiveOn),
      },
    }));
  }
}
