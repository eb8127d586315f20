import { foldEvents, type CommandMetadata, type IsoDate } from '@app/core';
import type { EventStore, StreamAppend } from '@app/event-store';
import {
  REGULATION_MEMBERSHIP_RULES,
  type MemberCommand,
  type MembershipRules,
} from '../../member/member.commands';
import { memberDecider, memberStreamId } from '../../member/member.decider';
import type { MemberEvent } from '../../member/member.events';
import type { MemberState } from '../../member/member.state';
import {
  appendOptions,
  expectedVersionOf,
  isConcurrencyConflict,
  membershipRulesOn,
  seenCommand,
} from '../../member/handlers/member-handler.base';
import type { MemberFactsPort } from '../../member/handlers/member-facts.port';
import type { TransferCommand } from '../transfer.commands';
import { memberTransferEffect, transferDecider, transferStreamId } from '../transfer.decider';
import type { TransferEvent } from '../transfer.events';
import type { TransferState } from '../transfer.state';

export interface TransferOutcome {
  readonly transferId: string;
  readonly memberId: string;
  readonly state: TransferState;
  /** Global position of the last event written (of the first run, for a repeated command id). */
  readonly position: number;
  readonly duplicate: boolean;
  readonly transferVersion: number;
  readonly memberVersion: number;
}

export interface TransferRead {
  readonly transfer: TransferState;
  readonly member: MemberState;
  readonly memberId: string;
}

export interface TransferCommandRun {
  readonly store: EventStore;
  readonly metadata: CommandMetadata;
  readonly transferId: string;
  /** Known up front for a request; otherwise read from the transfer stream. */
  readonly memberId?: string;
  readonly build: (read: TransferRead) => Promise<TransferCommand>;
  /** Decides a request's member side: the member decider's own command. */
  readonly memberSide?: (read: TransferRead, rules: MembershipRules) => MemberCommand | null;
}

/**
 * What a handler's decision on an open transfer (release, receive, reject) is judged on: the
 * membership rules in force on its date, and which of the transfer's handler unions the actor
 * may act for.
 */
export async function handlerDecisionFacts(
  store: EventStore,
  facts: Pick<MemberFactsPort, 'actsFor'>,
  metadata: CommandMetadata,
  transfer: TransferState,
  on: IsoDate,
): Promise<{ rules: MembershipRules; actsForUnionIds: string[] }> {
  const handlers = transfer.status === 'NONE' ? [] : transfer.handledByUnionIds;
  const [rules, actsForUnionIds] = await Promise.all([
    membershipRulesOn(store, metadata.tenantId, on),
    facts.actsFor(metadata.tenantId, metadata.actor, handlers),
  ]);
  return { rules, actsForUnionIds: [...actsForUnionIds] };
}

/**
 * Art. 19(3): a transfer decision and its effect on the member are appended atomically to the
 * transfer stream and the member stream, each with its expected version: the member counts on
 * exactly one union at every instant, and a stale view of either stream writes neither.
 */
export async function runTransferCommand(run: TransferCommandRun): Promise<TransferOutcome> {
  try {
    return await attempt(run);
  } catch (error) {
    if (isConcurrencyConflict(error)) return attempt(run);
    throw error;
  }
}

/** The member command a transfer event implies (none while the transfer is in progress). */
function memberCommandFor(
  event: TransferEvent,
  rules: MembershipRules,
  metadata: CommandMetadata,
): MemberCommand | null {
  const effect = memberTransferEffect(event);
  switch (effect.kind) {
    case 'COMPLETE':
      return {
        type: 'CompleteMemberTransfer',
        metadata,
        data: { rules, transferId: effect.transferId, completedOn: effect.on },
      };
    case 'CANCEL':
      return {
        type: 'CancelMemberTransfer',
        metadata,
        data: { rules, transferId: effect.transferId, cancelledOn: effect.on },
      };
    case 'NONE':
      return null;
  }
}

async function attempt(run: TransferCommandRun): Promise<TransferOutcome> {
  const { store, metadata, transferId } = run;
  const { tenantId } = metadata;
  const transferStream = transferStreamId(transferId);
  const transferRead = await store.readStream<TransferEvent>(tenantId, transferStream);
  const transfer = foldEvents(
    transferDecider,
    transferRead.events.map((e) => ({ type: e.type, data: e.data }) as TransferEvent),
  );
  const memberId = run.memberId ?? (transfer.status === 'NONE' ? '' : transfer.memberId);
  const memberStream = memberStreamId(memberId);
  const memberRead =
    memberId === ''
      ? { events: [], currentVersion: 0 }
      : await store.readStream<MemberEvent>(tenantId, memberStream);
  const member = foldEvents(
    memberDecider,
    memberRead.events.map((e) => ({ type: e.type, data: e.data }) as MemberEvent),
  );
  const seen = seenCommand(transferRead.events, metadata);
  if (seen) {
    return {
      transferId,
      memberId,
      state: transfer,
      position: seen.globalPosition,
      duplicate: true,
      transferVersion: transferRead.currentVersion,
      memberVersion: memberRead.currentVersion,
    };
  }

  const read: TransferRead = { transfer, member, memberId };
  if (run.memberSide && member.status !== 'ACTIVE') {
    // A member who cannot transfer is told why (status) before any routing question.
    const refused = run.memberSide(read, REGULATION_MEMBERSHIP_RULES);
    if (refused !== null) memberDecider.decide(refused, member);
  }
  const command = await run.build(read);
  const requestSide = run.memberSide?.(read, command.data.rules) ?? null;
  const transferEvents = transferDecider.decide(command, transfer);
  const memberCommands = [
    requestSide,
    ...transferEvents.map((e) => memberCommandFor(e, command.data.rules, metadata)),
  ].filter((c): c is MemberCommand => c !== null);
  const memberEvents: MemberEvent[] = [];
  let memberState = member;
  for (const memberCommand of memberCommands) {
    const decided = memberDecider.decide(memberCommand, memberState);
    memberState = decided.reduce((s, e) => memberDecider.evolve(s, e), memberState);
    memberEvents.push(...decided);
  }

  // The transfer stream last: the result's position is its last event's (what a retry reports).
  const appends: StreamAppend[] = [];
  if (memberEvents.length > 0) {
    appends.push({
      streamId: memberStream,
      events: memberEvents,
      expectedVersion: expectedVersionOf(memberRead.currentVersion),
    });
  }
  appends.push({
    streamId: transferStream,
    events: transferEvents,
    expectedVersion: expectedVersionOf(transferRead.currentVersion),
  });
  const result = await store.appendToStreams(tenantId, appends, appendOptions(metadata));
  if (result.duplicate) {
    const again = await store.aggregateStream(tenantId, transferStream, transferDecider);
    return {
      transferId,
      memberId,
      state: again.state,
      position: result.position,
      duplicate: true,
      transferVersion: again.currentVersion,
      memberVersion: memberRead.currentVersion,
    };
  }
  const versionOf = (streamId: string, before: number): number =>
    result.streams.find((s) => s.streamId === streamId)?.nextVersion ?? before;
  return {
    transferId,
    memberId,
    state: transferEvents.reduce((s, e) => transferDecider.evolve(s, e), transfer),
    position: result.position,
    duplicate: false,
    transferVersion: versionOf(transferStream, transferRead.currentVersion),
    memberVersion: versionOf(memberStream, memberRead.currentVersion),
  };
}
