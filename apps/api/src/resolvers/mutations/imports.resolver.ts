import { Args, Context, Mutation, Resolver } from '@nestjs/graphql';
import { ImportMembersCommand } from '@app/unions';
import type { ApiContext } from '../../context/api-context';
import { ImportMembersInput } from '../../graphql/inputs.types';
import { MemberImportPayload } from '../../graphql/payload.types';
import { MutationSupport } from './mutation-support';

/** Rows per mutation: a large roll goes in parts (the CLI sends 10,000 at a time). */
const IMPORT_ROWS_MAX = 20_000;
/** Rejected rows listed in the payload; the counts cover them all. */
const ERRORS_LISTED = 1_000;

/** Onboarding an existing roll (issue 9). */
@Resolver()
export class ImportMutationsResolver {
  constructor(private readonly support: MutationSupport) {}

  @Mutation(() => MemberImportPayload, {
    description:
      'Existing members of a grassroots union with their join dates and card numbers; bad rows are listed by number and reason, the rest imported',
  })
  async importMembers(
    @Context() ctx: ApiContext,
    @Args('input') input: ImportMembersInput,
  ): Promise<MemberImportPayload> {
    const act = await this.support.begin(ctx, input.commandId);
    const { check } = act;
    const unionId = check.id('unionId', input.unionId);
    if (input.rows.length === 0 || input.rows.length > IMPORT_ROWS_MAX)
      check.fail(
        'rows',
        `must hold 1 to ${IMPORT_ROWS_MAX} rows (send a larger roll in parts)`,
        `须包含 1 至 ${IMPORT_ROWS_MAX} 行（更大的名册请分批导入）`,
      );
    await act.scope.union(unionId, 'write', 'the roll of this union');
    // each row is judged by the domain: a bad row is rejected with its number, the rest imported
    const outcome = await this.support.execute(
      new ImportMembersCommand(
        {
          unionId,
          channel: 'API',
          rows: input.rows.map((row, index) => ({
            rowNumber: index + 1,
            employeeNo: row.employeeNo,
            name: row.name,
            gender: row.gender,
            joinedOn: row.joinedOn,
            cardNumber: row.cardNumber ?? null,
            nationalId: row.nationalId ?? null,
            phone: row.phone ?? null,
            status: row.status ?? null,
            duesExempt: row.duesExempt ?? null,
          })),
        },
        act.metadata,
      ),
    );
    // The payload reads no read model (counts and reasons come from the handler), so nothing is
    // waited for: a client that reads the roll next passes `position` as `consistentAfter`.
    // Waiting for every read model to take thousands of events held each chunk for seconds.
    const position = await this.support.settle(ctx, act.tenantId, outcome.position, []);
    return {
      accepted: outcome.accepted,
      rejected: outcome.rejected,
      errors: outcome.rejectedRows.slice(0, ERRORS_LISTED).map((row) => {
        const field = row.field === null ? '' : ` (${row.field})`;
        return ctx.language === 'en'
          ? `row ${row.rowNumber}: ${row.reason}${field}: ${row.message.en}`
          : `第 ${row.rowNumber} 行：${row.reason}${field}：${row.message.zh}`;
      }),
      position,
    };
  }
}
