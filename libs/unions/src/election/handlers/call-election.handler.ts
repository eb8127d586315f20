import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { businessDate } from '../../union/handlers/union-handler.base';
import { loadSettings } from '../../union/handlers/run-command';
import { UNION_FACTS, type UnionFactsPort } from '../../union/handlers/union-facts.port';
import type { ElectionKind } from '../election.state';
import {
  electionUnionFacts,
  loadUnion,
  runElectionCommand,
  type ElectionOutcome,
} from './election-handler.base';

export interface CallElectionInput {
  electionId: string;
  unionId: string;
  kind: ElectionKind;
  seats: number;
  expectedVoters: number;
  candidateMemberIds: string[];
  termYears?: number;
  calledOn?: IsoDate;
}

/** Art. 7-10, 15: a ballot for an active union, judged by the settings in force that day. */
export class CallElectionCommand extends Command<ElectionOutcome> {
  constructor(
    readonly input: CallElectionInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(CallElectionCommand)
export class CallElectionHandler implements ICommandHandler<CallElectionCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  execute({ input, metadata }: CallElectionCommand): Promise<ElectionOutcome> {
    const { tenantId } = metadata;
    const calledOn = businessDate(metadata, input.calledOn);
    return runElectionCommand(this.store, metadata, input.electionId, async () => {
      const union = await loadUnion(this.store, tenantId, input.unionId);
      const counts = await this.facts.counts(tenantId, input.unionId, calledOn);
      const rows = await this.facts.candidates(tenantId, input.unionId, input.candidateMemberIds);
      return {
        type: 'CallElection',
        metadata,
        data: {
          electionId: input.electionId,
          unionId: input.unionId,
          kind: input.kind,
          seats: input.seats,
          expectedVoters: input.expectedVoters,
          // Unknown ids come back as NOT_FOUND so the decider names the rule.
          candidates: input.candidateMemberIds.map(
            (memberId) =>
              rows.find((r) => r.memberId === memberId) ?? {
                memberId,
                status: 'NOT_FOUND',
                inElectorate: false,
                female: false,
              },
          ),
          ...(input.termYears === undefined ? {} : { termYears: input.termYears }),
          calledOn,
          union: electionUnionFacts(union.state, counts),
          settings: await loadSettings(this.store, tenantId, calledOn),
        },
      };
    });
  }
}
