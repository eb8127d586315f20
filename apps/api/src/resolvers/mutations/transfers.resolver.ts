import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { notFound } from '@app/auth';
import {
  computeTransferHandlers,
  ReceiveTransferCommand,
  RejectTransferCommand,
  ReleaseTransferCommand,
  RequestTransferCommand,
  type TransferOutcome,
  type UnionPath,
} from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { RequestTransferInput, TransferRefInput } from '../../graphql/inputs.types';
import { TransferPayload } from '../../graphql/payload.types';
import { MutationSupport, type OfficerAct } from './mutation-support';

const NAME_MAX = 200;
const NOTE_MAX = 1000;

/**
 * Art. 19(3): transfers follow the job. The sending side releases, the receiving side registers;
 * which unions handle it is computed from the tree (the grassroots unions within one secondary
 * unit, the secondary-unit unions between them, the company union to or from outside), and each
 * step is open only to an officer whose subtree holds that step's handler.
 */
@Resolver()
export class TransferMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => TransferPayload, {
    description: "Opens a transfer of a member of the caller's subtree to another union or outside",
  })
  async requestTransfer(
    @Context() ctx: ApiContext,
    @Args('input') input: RequestTransferInput,
  ): Promise<TransferPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const memberId = check.id('memberId', input.memberId);
    const toUnionId = check.optionalId('toUnionId', input.toUnionId);
    const toExternal = check.optionalText('toExternal', input.toExternal, NAME_MAX);
    if (toUnionId !== undefined && toExternal !== undefined)
      check.fail(
        'toExternal',
        'give either toUnionId or toExternal, not both',
        '只能填写 toUnionId 或 toExternal 之一',
      );
    if (toUnionId === undefined && toExternal === undefined)
      check.fail('toUnionId', 'give toUnionId or toExternal', '须填写 toUnionId 或 toExternal');
    // Art. 19(3): the caller must act for the SENDING HANDLER the tree computes (a team officer
    // cannot move a member across secondary units; the secondary-unit union does). The
    // destination must exist in this tenant; its own handler registers the member later.
    const member = await act.scope.member(memberId, 'write', 'transfers of this member');
    const pathOf = async (unionId: string): Promise<UnionPath> => {
      const union = await ctx.loaders(act.tenantId).union.load(unionId);
      if (!union) throw notFound('union', unionId);
      const chain = await ctx
        .loaders(act.tenantId)
        .union.loadMany([...union.ancestorIds, union.id]);
      return chain.map((u, i) => {
        if (!u || u instanceof Error)
          throw notFound('union', [...union.ancestorIds, union.id][i] ?? unionId);
        return { unionId: u.id, level: u.level as UnionPath[number]['level'] };
      });
    };
    const handlers = computeTransferHandlers(
      { kind: 'UNION', path: await pathOf(member.unionId) },
      toUnionId !== undefined
        ? { kind: 'UNION', path: await pathOf(toUnionId) }
        : { kind: 'EXTERNAL', name: toExternal ?? '' },
    );
    if (handlers.sendingHandlerUnionId) {
      await act.scope.union(
        handlers.sendingHandlerUnionId,
        'write',
        'requesting this transfer (its sending handler)',
      );
    }
    const outcome = await this.support.execute(
      new RequestTransferCommand(
        {
          memberId,
          toUnionId: toUnionId ?? null,
          toExternal: toExternal ?? null,
          ...(input.effectiveOn ? { requestedOn: input.effectiveOn } : {}),
        },
        act.metadata,
      ),
    );
    return this.payload(ctx, act, outcome);
  }

  @Mutation(() => TransferPayload, { description: 'The sending handler releases the member' })
  async releaseTransfer(
    @Context() ctx: ApiContext,
    @Args('input') input: TransferRefInput,
  ): Promise<TransferPayload> {
    const { act, transferId, note } = await this.begin(ctx, input);
    const view = await this.support.transferView(ctx, act.tenantId, transferId);
    await act.scope.union(view.sendingHandlerUnionId, 'write', 'releasing this transfer');
    const outcome = await this.support.execute(
      new ReleaseTransferCommand({ transferId, ...note }, act.metadata),
    );
    return this.payload(ctx, act, outcome);
  }

  @Mutation(() => TransferPayload, { description: 'The receiving handler registers the member' })
  async receiveTransfer(
    @Context() ctx: ApiContext,
    @Args('input') input: TransferRefInput,
  ): Promise<TransferPayload> {
    const { act, transferId, note } = await this.begin(ctx, input);
    const view = await this.support.transferView(ctx, act.tenantId, transferId);
    const receiving = view.receivingHandlerUnionId ?? view.sendingHandlerUnionId;
    await act.scope.union(receiving, 'write', 'receiving this transfer');
    const outcome = await this.support.execute(
      new ReceiveTransferCommand({ transferId, ...note }, act.metadata),
    );
    return this.payload(ctx, act, outcome);
  }

  @Mutation(() => TransferPayload, { description: 'Either handler refuses the transfer' })
  async rejectTransfer(
    @Context() ctx: ApiContext,
    @Args('input') input: TransferRefInput,
  ): Promise<TransferPayload> {
    const { act, transferId, note } = await this.begin(ctx, input);
    const view = await this.support.transferView(ctx, act.tenantId, transferId);
    await this.support.anyUnion(
      act,
      [view.sendingHandlerUnionId, view.receivingHandlerUnionId].filter(
        (id): id is string => id !== null,
      ),
      'rejecting this transfer',
    );
    const outcome = await this.support.execute(
      new RejectTransferCommand({ transferId, ...note }, act.metadata),
    );
    return this.payload(ctx, act, outcome);
  }

  private async begin(ctx: ApiContext, input: TransferRefInput) {
    const act = await this.support.begin(ctx, input.commandId);
    const transferId = act.check.id('transferId', input.transferId);
    const note = act.check.optionalText('note', input.note, NOTE_MAX, true);
    return { act, transferId, note: note === undefined ? {} : { note } };
  }

  private async payload(
    ctx: ApiContext,
    act: OfficerAct,
    outcome: TransferOutcome,
  ): Promise<TransferPayload> {
    const position = await this.support.settle(ctx, act.tenantId, outcome.position);
    return {
      transfer: await this.support.transfer(ctx, act.tenantId, outcome.transferId),
      position,
    };
  }
}
