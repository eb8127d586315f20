import type { CommandMetadata } from '@app/core';
import type { EventStore } from '@app/event-store';
import { runCommand, type CommandOutcome } from '../../union/handlers/run-command';
import type { RollCounts } from '../../union/handlers/union-facts.port';
import { unionDecider, unionStreamId } from '../../union/union.decider';
import type { UnionEvent } from '../../union/union.events';
import { committeeVacancies, type UnionState } from '../../union/union.state';
import type { ElectionCommand, ElectionUnionFacts } from '../election.commands';
import { electionDecider, electionStreamId } from '../election.decider';
import type { ElectionState } from '../election.state';

export type ElectionOutcome = CommandOutcome<ElectionState>;

export function runElectionCommand(
  store: EventStore,
  metadata: CommandMetadata,
  electionId: string,
  build: (state: ElectionState) => Promise<ElectionCommand> | ElectionCommand,
): Promise<ElectionOutcome> {
  return runCommand({
    store,
    decider: electionDecider,
    metadata,
    streamId: electionStreamId(electionId),
    build,
    retryOnConflict: true,
  });
}

export async function loadUnion(
  store: EventStore,
  tenantId: string,
  unionId: string,
): Promise<{ state: UnionState; version: number }> {
  const { state, currentVersion } = await store.aggregateStream<UnionState, UnionEvent>(
    tenantId,
    unionStreamId(unionId),
    unionDecider,
  );
  return { state, version: currentVersion };
}

/** The union as an election sees it: its stream plus the roll's counts. */
export function electionUnionFacts(union: UnionState, counts: RollCounts): ElectionUnionFacts {
  if (union.status === 'NONE') return { status: 'NOT_FOUND' };
  const body = union.status === 'ACTIVE' || union.status === 'DISSOLVED' ? union : null;
  return {
    status: union.status,
    level: union.level,
    governanceForm: body?.governance.form ?? 'NONE',
    activeMembers: counts.activeMembers,
    eligibleVoters: counts.eligibleVoters,
    femaleMembers: counts.femaleMembers,
    committeeMemberIds: body?.committee?.members.map((s) => s.memberId) ?? [],
    committeeVacancies: committeeVacancies(body?.committee ?? null),
  };
}
