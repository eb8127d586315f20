import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { CommandMetadata, IsoDate } from '@app/core';
import { EVENT_STORE, type EventStore } from '@app/event-store';
import {
  decisionDate,
  idForCommand,
  membershipRulesOn,
} from '../../member/handlers/member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from '../../member/handlers/member-facts.port';
import { memberError } from '../../member/member.errors';
import type { TransferDestination } from '../transfer.commands';
import type { UnionPath } from '../transfer-routing.rules';
import { runTransferCommand, type TransferOutcome } from './transfer-handler.base';

export interface RequestTransferInput {
  /** Given by the caller, or derived from the command id (a retry addresses the same transfer). */
  transferId?: string;
  memberId: string;
  /** Exactly one of the two: a union of this enterprise, or a named organisation outside it. */
  toUnionId?: string | null;
  toExternal?: string | null;
  requestedOn?: IsoDate;
}

/**
 * Art. 19(3): opens a transfer. Who handles it is computed from the two unions' places in the tree
 * (never chosen by the caller); the member keeps counting on the sending union until received.
 */
export class RequestTransferCommand extends Command<TransferOutcome> {
  constructor(
    readonly input: RequestTransferInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(RequestTransferCommand)
export class RequestTransferHandler implements ICommandHandler<RequestTransferCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  execute({ input, metadata }: RequestTransferCommand): Promise<TransferOutcome> {
    const { tenantId, actor } = metadata;
    const transferId = idForCommand(metadata, input.transferId, 'transfer');
    const requestedOn = decisionDate(metadata, input.requestedOn);
    const toUnionId = input.toUnionId ?? null;
    const toExternal = input.toExternal ?? null;
    return runTransferCommand({
      store: this.store,
      metadata,
      transferId,
      memberId: input.memberId,
      build: async ({ member }) => {
        const fromUnionId = member.status === 'NONE' ? '' : member.unionId;
        const [rules, from, to, actsForUnionIds] = await Promise.all([
          membershipRulesOn(this.store, tenantId, requestedOn),
          this.path(tenantId, fromUnionId),
          this.destination(tenantId, toUnionId, toExternal),
          this.facts.actsFor(tenantId, actor, [fromUnionId]),
        ]);
        return {
          type: 'RequestTransfer',
          metadata,
          data: {
            rules,
            actsForUnionIds,
            transferId,
            memberId: input.memberId,
            fromPath: from,
            to,
            requestedOn,
          },
        };
      },
      memberSide: (_read, rules) => ({
        type: 'StartMemberTransfer',
        metadata,
        data: { rules, transferId, toUnionId, toExternal, requestedOn },
      }),
    });
  }

  private async path(tenantId: string, unionId: string): Promise<UnionPath> {
    const union = await this.facts.union(tenantId, unionId);
    if (union.status === 'NOT_FOUND') throw memberError('UNION_NOT_FOUND');
    return union.path;
  }

  private async destination(
    tenantId: string,
    toUnionId: string | null,
    toExternal: string | null,
  ): Promise<TransferDestination> {
    if (toUnionId === null) return { kind: 'EXTERNAL', name: toExternal ?? '' };
    const union = await this.facts.union(tenantId, toUnionId);
    if (union.status === 'NOT_FOUND') throw memberError('UNION_NOT_FOUND');
    return { kind: 'UNION', path: union.path, status: union.status };
  }
}
