import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import { eventMetadata, isConcurrencyConflict } from '../../union/handlers/run-command';
import { businessDate } from '../../union/handlers/union-handler.base';
import { UNION_FACTS, type UnionFactsPort } from '../../union/handlers/union-facts.port';
import { unionDecider, unionStreamId } from '../../union/union.decider';
import type { UnionState } from '../../union/union.state';
import { approvedResultOf, electionDecider, electionStreamId } from '../election.decider';
import type { ElectionEvent, ElectionResultApproved } from '../election.events';
import type { ElectionState } from '../election.state';
import { loadUnion } from './election-handler.base';

export interface ApproveElectionResultInput {
  electionId: string;
  approvedOn?: IsoDate;
  externalApprovalRef?: string;
}

export interface ApproveElectionOutcome {
  readonly election: ElectionState;
  readonly union: UnionState;
  readonly position: number;
  readonly duplicate: boolean;
}

/**
 * Art. 29: the parent approves; in the same transaction the union installs the result (committee
 * and term, chair, by-election seats, women's committee, group leader). Both streams are appended
 * atomically with their expected versions; a conflict on either re-runs the whole decision once.
 */
export class ApproveElectionResultCommand extends Command<ApproveElectionOutcome> {
  constructor(
    readonly input: ApproveElectionResultInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ApproveElectionResultCommand)
export class ApproveElectionResultHandler implements ICommandHandler<ApproveElectionResultCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(UNION_FACTS) private readonly facts: UnionFactsPort,
  ) {}

  async execute(command: ApproveElectionResultCommand): Promise<ApproveElectionOutcome> {
    try {
      return await this.attempt(command);
    } catch (error) {
      if (isConcurrencyConflict(error)) return this.attempt(command);
      throw error;
    }
  }

  private async attempt({
    input,
    metadata,
  }: ApproveElectionResultCommand): Promise<ApproveElectionOutcome> {
    const { tenantId, actor } = metadata;
    const election = await this.store.aggregateStream<ElectionState, ElectionEvent>(
      tenantId,
      electionStreamId(input.electionId),
      electionDecider,
    );
    const unionId = election.state.status === 'NONE' ? null : election.state.unionId;
    // A repeated command id returns the first result instead of re-deciding on the newer state.
    if (metadata.commandId !== undefined && unionId !== null) {
      const read = await this.store.readStream(tenantId, electionStreamId(input.electionId));
      const seen = read.events.find((e) => e.metadata.commandId === metadata.commandId);
      if (seen) {
        const union = await loadUnion(this.store, tenantId, unionId);
        // The first result's position is that of its last event: the union's, when it installed.
        const installed = await this.store.readStream(tenantId, unionStreamId(unionId));
        const positions = installed.events
          .filter((e) => e.metadata.commandId === metadata.commandId)
          .map((e) => e.globalPosition);
        return {
          election: election.state,
          union: union.state,
          position: Math.max(seen.globalPosition, ...positions),
          duplicate: true,
        };
      }
    }
    const union = unionId ? await loadUnion(this.store, tenantId, unionId) : null;
    const parentId = union && union.state.status !== 'NONE' ? union.state.parentId : null;
    const approvedOn = businessDate(metadata, input.approvedOn);

    const electionEvents = electionDecider.decide(
      {
        type: 'ApproveElectionResult',
        metadata,
        data: {
          approvedOn,
          actorIsParentOfficer: parentId
            ? await this.facts.isOfficerOf(tenantId, actor, parentId)
            : false,
          ...(input.externalApprovalRef === undefined
            ? {}
            : { externalApprovalRef: input.externalApprovalRef }),
        },
      },
      election.state,
    );
    const approved = electionEvents.find(
      (e): e is ElectionResultApproved => e.type === 'ElectionResultApproved',
    );
    if (!approved || !union || unionId === null) throw new Error('approval produced no result');
    const unionEvents = unionDecider.decide(
      {
        type: 'InstallElectionResult',
        metadata,
        data: { electionId: input.electionId, approvedOn, result: approvedResultOf(approved) },
      },
      union.state,
    );

    const result = await this.store.appendToStreams(
      tenantId,
      [
        {
          streamId: electionStreamId(input.electionId),
          events: electionEvents,
          expectedVersion: election.currentVersion,
        },
        ...(unionEvents.length > 0
          ? [
              {
                streamId: unionStreamId(unionId),
                events: unionEvents,
                expectedVersion: union.version,
              },
            ]
          : []),
      ],
      {
        ...(metadata.commandId === undefined ? {} : { commandId: metadata.commandId }),
        metadata: eventMetadata(metadata),
      },
    );
    const electionAfter = electionEvents.reduce(
      (s, e) => electionDecider.evolve(s, e),
      election.state,
    );
    const unionAfter = unionEvents.reduce((s, e) => unionDecider.evolve(s, e), union.state);
    return {
      election: electionAfter,
      union: unionAfter,
      position: result.position,
      duplicate: result.duplicate,
    };
  }
}
