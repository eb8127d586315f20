import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import type { CommitteeRole } from '../union.state';
import { loadSettings } from './run-command';
import { businessDate, runUnionCommand, type UnionOutcome } from './union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from './union-facts.port';

export interface AssignCommitteeRolesInput {
  unionId: string;
  assignments: { memberId: string; roles: CommitteeRole[] }[];
  decidedOn?: IsoDate;
}

/** Art. 8, 9: the committee's portfolios; the women workers' member is checked against the roll. */
export class AssignCommitteeRolesCommand extends Command<UnionOutcome> {
  constructor(
    readonly input: AssignCommitteeRolesInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(AssignCommitteeRolesCommand)
export class AssignCommitteeRolesHandler implements ICommandHandler<AssignCommitteeRolesCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: AssignCommitteeRolesCommand): Promise<UnionOutcome> {
    const { tenantId } = metadata;
    const decidedOn = businessDate(metadata, input.decidedOn);
    return runUnionCommand(this.store, metadata, input.unionId, async (state) => {
      const seatIds =
        state.status === 'ACTIVE' ? (state.committee?.members.map((s) => s.memberId) ?? []) : [];
      // Gender is read only for the Art. 9 women workers' role, and only for committee members.
      const seats = await this.facts.candidates(tenantId, input.unionId, seatIds);
      return {
        type: 'AssignCommitteeRoles',
        metadata,
        data: {
          assignments: input.assignments,
          decidedOn,
          femaleMembers: (await this.facts.counts(tenantId, input.unionId, decidedOn))
            .femaleMembers,
          femaleCommitteeMemberIds: seats.filter((s) => s.female).map((s) => s.memberId),
          settings: await loadSettings(this.store, tenantId, decidedOn),
        },
      };
    });
  }
}
