import { Args, Context, Info, Mutation, Resolver } from '@nestjs/graphql';
import { memberRowAfterPayment, REGISTRY_PROJECTION } from '@app/read-models';
import { ImportDuesPayrollCommand, RecordDuesPaymentCommand } from '@app/unions';
import type { GraphQLResolveInfo } from 'graphql';
import type { ApiContext } from '../../context/api-context';
import { ImportDuesPayrollInput, RecordDuesPaymentInput } from '../../graphql/inputs.types';
import { DuesImportPayload, MemberPayload } from '../../graphql/payload.types';
import { toMember } from '../mappers';
import { MutationSupport } from './mutation-support';
import { memberPayloadReads } from './payload-reads';

/** A monthly wage base of up to CNY 10 million, in fen: anything above is a malformed row. */
const FEN_MAX = 1_000_000_000;
/** One union's month by payroll deduction; a large tenant's biggest union stays well below. */
const PAYROLL_ROWS_MAX = 500_000;
/** Rejected rows listed in the payload; the counts cover them all. */
const ERRORS_LISTED = 1_000;

/** Dues: one member's payment, or a union's month by payroll deduction. */
@Resolver()
export class DuesMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => MemberPayload, {
    description: "0.5% of the month's wage base, the part below CNY 10 dropped; amounts in fen",
  })
  async recordDuesPayment(
    @Context() ctx: ApiContext,
    @Args('input') input: RecordDuesPaymentInput,
    @Info() info: GraphQLResolveInfo,
  ): Promise<MemberPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const memberId = check.id('memberId', input.memberId);
    const period = check.period('period', input.period);
    const wageBaseFen = check.int('wageBaseFen', input.wageBaseFen, 0, FEN_MAX);
    const amountFen = check.optionalInt('amountFen', input.amountFen, 0, FEN_MAX);
    await act.scope.member(memberId, 'write', 'dues of this member');
    // the registry's row the scope check just read (the request's loader holds it)
    const before = await ctx.loaders(act.tenantId).member.load(memberId);
    const outcome = await this.support.execute(
      new RecordDuesPaymentCommand(
        {
          memberId,
          period,
          wageBaseFen,
          amountFen: amountFen ?? null,
          ...(input.paidOn ? { paidOn: input.paidOn } : {}),
        },
        act.metadata,
      ),
    );
    // read-your-writes for what the payload shows: nothing to wait for when the registry row it
    // selects follows from the row read before and this one payment; else wait for those models
    const reads = memberPayloadReads(info);
    const after =
      reads?.every((name) => name === REGISTRY_PROJECTION) && before && !outcome.duplicate
        ? memberRowAfterPayment(before, { period, version: outcome.version })
        : undefined;
    if (after) return { member: toMember(after, new Date()), position: String(outcome.position) };
    const position = await this.support.settle(ctx, act.tenantId, outcome.position, reads);
    return { member: await this.support.member(ctx, act.tenantId, outcome.memberId), position };
  }

  @Mutation(() => DuesImportPayload, {
    description: "A union's month of payroll deductions; bad rows are listed, the rest recorded",
  })
  async importDuesPayroll(
    @Context() ctx: ApiContext,
    @Args('input') input: ImportDuesPayrollInput,
  ): Promise<DuesImportPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const unionId = check.id('unionId', input.unionId);
    const period = check.period('period', input.period);
    if (input.rows.length === 0 || input.rows.length > PAYROLL_ROWS_MAX)
      check.fail(
        'rows',
        `must hold 1 to ${PAYROLL_ROWS_MAX} rows`,
        `须包含 1 至 ${PAYROLL_ROWS_MAX} 行`,
      );
    // each row is judged by the domain: a bad row is rejected with its number, the rest recorded
    const rows = input.rows.map((row) => ({
      memberId: row.memberId.trim(),
      wageBaseFen: row.wageBaseFen,
      amountFen: row.amountFen ?? null,
    }));
    await act.scope.union(unionId, 'write', 'the payroll of this union');
    const outcome = await this.support.execute(
      new ImportDuesPayrollCommand({ unionId, period, rows }, act.metadata),
    );
    const position = await this.support.settle(ctx, act.tenantId, outcome.position);
    return {
      accepted: outcome.accepted,
      rejected: outcome.rejected,
      errors: outcome.rejectedRows
        .slice(0, ERRORS_LISTED)
        .map((row) =>
          ctx.language === 'en'
            ? `row ${row.rowNumber}: ${row.reason}: ${row.message.en}`
            : `第 ${row.rowNumber} 行：${row.reason}：${row.message.zh}`,
        ),
      position,
    };
  }
}
