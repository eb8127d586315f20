import { dateInZone, type CommandMetadata, type IsoDate } from '@app/core';
import type { EventStore } from '@app/event-store';
import type { UnionCommand } from '../union.commands';
import { unionDecider, unionStreamId } from '../union.decider';
import type { UnionState } from '../union.state';
import { runCommand, type CommandOutcome } from './run-command';
import type { UnionFactsPort } from './union-facts.port';

export type UnionOutcome = CommandOutcome<UnionState>;

/** The business date of a command: the one given, else today in the tenant's zone. */
export const businessDate = (metadata: CommandMetadata, given?: IsoDate): IsoDate =>
  given ?? dateInZone(metadata.now);

/** Runs a union command on its stream; every union decision re-judges safely on a retry. */
export function runUnionCommand(
  store: EventStore,
  metadata: CommandMetadata,
  unionId: string,
  build: (state: UnionState) => Promise<UnionCommand> | UnionCommand,
): Promise<UnionOutcome> {
  return runCommand({
    store,
    decider: unionDecider,
    metadata,
    streamId: unionStreamId(unionId),
    build,
    retryOnConflict: true,
  });
}

/** The parent of a union in the stream, and whether the actor is one of its officers. */
export async function parentOfficer(
  facts: UnionFactsPort,
  metadata: CommandMetadata,
  state: UnionState,
): Promise<boolean> {
  const parentId = state.status === 'NONE' ? null : state.parentId;
  return parentId === null ? false : facts.isOfficerOf(metadata.tenantId, metadata.actor, parentId);
}
