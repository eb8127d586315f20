import { Inject, Injectable } from '@nestjs/common';
import { CommandBus, type Command } from '@nestjs/cqrs';
import { AccessError, notFound, type Scope } from '@app/auth';
import type { CommandMetadata } from '@app/core';
import { withTenant } from '@app/database';
import { ConcurrencyError, EVENT_STORE, type EventStore } from '@app/event-store';
import {
  ActorUnits,
  electionById,
  transferById,
  type ElectionView,
  type TransferView,
} from '@app/read-models';
import type { ApiContext } from '../../context/api-context';
import type { Election, Transfer } from '../../graphql/governance.types';
import type { Member } from '../../graphql/member.types';
import type { Union } from '../../graphql/union.types';
import { toMember, toUnion } from '../mappers';
import { InputCheck } from './input-check';

/** An officer's mutation in progress: who, where, and the metadata every command carries. */
export interface OfficerAct {
  readonly scope: Scope;
  readonly tenantId: string;
  readonly check: InputCheck;
  readonly metadata: CommandMetadata;
}

/** How long a mutation waits for its own write to reach the read models it answers from. */
const READ_YOUR_WRITES_MS = 10_000;

/**
 * What every mutation resolver shares: the write-role check and the officer registration the
 * command handlers rely on, dispatch through the CommandBus, read-your-writes, and reading the
 * entity back from the read models for the payload.
 */
@Injectable()
export class MutationSupport {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly actors: ActorUnits,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /**
   * An OFFICER (AUDITOR, MEMBER and PLATFORM_ADMIN never mutate tenant data) of a tenant. The
   * officer's unit is registered with ActorUnits, which the handlers ask whether the actor may
   * decide for a union; the API checks every target's scope itself as well.
   */
  async begin(ctx: ApiContext, commandId: string | null | undefined): Promise<OfficerAct> {
    const scope = await ctx.scope();
    scope.requireRole('write', 'mutations');
    const tenantId = scope.tenantId;
    const check = new InputCheck(ctx.language);
    const id = check.optionalId('commandId', commandId);
    this.actors.register(tenantId, scope.viewer.userId, await scope.unitPath());
    return { scope, tenantId, check, metadata: this.metadata(ctx, tenantId, scope, id) };
  }

  metadata(ctx: ApiContext, tenantId: string, scope: Scope, commandId?: string): CommandMetadata {
    return {
      tenantId,
      actor: scope.viewer.userId,
      now: new Date(),
      correlationId: ctx.correlationId,
      requestId: ctx.requestId,
      ...(commandId === undefined ? {} : { commandId }),
    };
  }

  execute<R>(command: Command<R>): Promise<R> {
    return this.commandBus.execute(command);
  }

  /**
   * Waits until the read models have applied `position` (all of them, or only those the payload
   * reads: `reads`); the position as the payload shows it.
   */
  async settle(
    ctx: ApiContext,
    tenantId: string,
    position: number | null,
    reads?: readonly string[],
  ): Promise<string> {
    if (position === null) return '0'; // the command changed nothing
    await ctx.runner.waitFor(tenantId, position, READ_YOUR_WRITES_MS, reads);
    return String(position);
  }

  /**
   * `expectedVersion`: the stream must still be at that version, else CONFLICT with the current
   * one. A repeated command id passes (the handler answers with the first result).
   */
  async expectVersion(
    act: OfficerAct,
    streamId: string,
    expected: number | null | undefined,
  ): Promise<void> {
    if (expected === null || expected === undefined) return;
    act.check.int('expectedVersion', expected, 0, Number.MAX_SAFE_INTEGER);
    const { tenantId, commandId } = act.metadata;
    // a read past the end: no events, just the stream's current version
    const head = await this.store.readStream(tenantId, streamId, { fromVersion: 2 ** 31 - 1 });
    if (head.currentVersion === expected) return;
    if (commandId !== undefined) {
      const all = await this.store.readStream(tenantId, streamId);
      if (all.events.some((e) => e.metadata.commandId === commandId)) return;
    }
    throw new ConcurrencyError(streamId, expected, head.currentVersion);
  }

  async union(ctx: ApiContext, tenantId: string, unionId: string): Promise<Union> {
    const view = await ctx.loaders(tenantId).union.clear(unionId).load(unionId);
    if (!view) throw notFound('union', unionId);
    return toUnion(view);
  }

  async member(ctx: ApiContext, tenantId: string, memberId: string): Promise<Member> {
    const view = await ctx.loaders(tenantId).member.clear(memberId).load(memberId);
    if (!view) throw notFound('member', memberId);
    return toMember(view, new Date());
  }

  /** A transfer by id; NOT_FOUND for an unknown id or another tenant's. */
  async transferView(ctx: ApiContext, tenantId: string, transferId: string): Promise<TransferView> {
    const view = await withTenant(
      ctx.pool,
      tenantId,
      (c) => transferById(c, tenantId, transferId),
      { readOnly: true },
    );
    if (!view) throw notFound('transfer', transferId);
    return view;
  }

  async transfer(ctx: ApiContext, tenantId: string, transferId: string): Promise<Transfer> {
    const view = await this.transferView(ctx, tenantId, transferId);
    return { ...view, handledByUnionIds: [...view.handledByUnionIds] };
  }

  /** An election by id; NOT_FOUND for an unknown id or another tenant's. */
  async electionView(ctx: ApiContext, tenantId: string, electionId: string): Promise<ElectionView> {
    const view = await withTenant(
      ctx.pool,
      tenantId,
      (c) => electionById(c, tenantId, electionId),
      { readOnly: true },
    );
    if (!view) throw notFound('election', electionId);
    return view;
  }

  async election(ctx: ApiContext, tenantId: string, electionId: string): Promise<Election> {
    const view = await this.electionView(ctx, tenantId, electionId);
    return { ...view, winners: [...view.winners] };
  }

  /** At least one of the unions must be in the officer's subtree (either end of a transfer). */
  async anyUnion(act: OfficerAct, unionIds: readonly string[], what: string): Promise<void> {
    let refusal: unknown = notFound('union', unionIds[0] ?? '');
    for (const unionId of unionIds) {
      try {
        await act.scope.union(unionId, 'write', what);
        return;
      } catch (error) {
        if (!(error instanceof AccessError)) throw error;
        refusal = error;
      }
    }
    throw refusal;
  }
}
