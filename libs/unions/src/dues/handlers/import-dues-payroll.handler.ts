import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  foldEvents,
  isWellFormedId,
  type CommandMetadata,
  type IsoDate,
  type Period,
} from '@app/core';
import { EVENT_STORE, type EventStore, type StreamAppend } from '@app/event-store';
import {
  appendOptions,
  decisionDate,
  eventMetadata,
  expectedVersionOf,
  isConcurrencyConflict,
  membershipRulesOn,
  seenCommand,
  unionOfMember,
} from '../../member/handlers/member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from '../../member/handlers/member-facts.port';
import { memberDecider, memberStreamId } from '../../member/member.decider';
import type { MemberEvent } from '../../member/member.events';
import { duesPaymentFacts } from '../../member/member-dues.rules';
import type {
  DuesPayrollRow,
  ImportDuesPayroll,
  PayrollMemberFacts,
} from '../dues-payroll.commands';
import {
  decideDuesPayroll,
  duesPayrollStreamId,
  type DuesPayrollDecision,
  type PayrollAcceptedRow,
  type PayrollRejectedRow,
} from '../dues-payroll.decider';
import type { DuesPayrollImported } from '../dues.events';

/** Member streams written per append: one round trip and one transaction per batch. */
export const PAYROLL_BATCH_SIZE = 500;
/** Member streams re-read at once when a batch has to be re-decided. */
const REREAD_CONCURRENCY = 16;

export interface ImportDuesPayrollInput {
  unionId: string;
  period: Period;
  /** The payroll date; today in the tenant's zone when absent. */
  paidOn?: IsoDate;
  rows: readonly DuesPayrollRow[];
}

export interface PayrollOutcome {
  readonly unionId: string;
  readonly period: Period;
  /** Global position of the last append (the one with the summary); null when nothing was written. */
  readonly position: number | null;
  /** The command id had already imported this payroll: the counts are the first run's. */
  readonly duplicate: boolean;
  readonly rows: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly totalFen: number;
  /** Every bad row with its number and reason (empty for a duplicate: see the first result). */
  readonly rejectedRows: readonly PayrollRejectedRow[];
  /** Appends made, one round trip each. */
  readonly batches: number;
}

/**
 * A union's month of dues by payroll deduction, in one command. Rows are validated one by one
 * against facts read set-based (never member stream by member stream); the accepted `DuesPaid`
 * events are appended in batches of member streams, each with that member's expected version, and
 * the summary goes with the last batch under the command id. Importing the same payroll again
 * appends nothing: its rows are then already paid.
 */
export class ImportDuesPayrollCommand extends Command<PayrollOutcome> {
  constructor(
    readonly input: ImportDuesPayrollInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

const sumFen = (rows: readonly PayrollAcceptedRow[]): number =>
  rows.reduce((total, row) => total + row.event.data.amountFen, 0);

@CommandHandler(ImportDuesPayrollCommand)
export class ImportDuesPayrollHandler implements ICommandHandler<ImportDuesPayrollCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
  ) {}

  async execute({ input, metadata }: ImportDuesPayrollCommand): Promise<PayrollOutcome> {
    const { tenantId } = metadata;
    const { unionId, period } = input;
    const paidOn = decisionDate(metadata, input.paidOn);
    const summaryStream = duesPayrollStreamId(unionId, period);
    const summaryRead = await this.store.readStream<DuesPayrollImported>(tenantId, summaryStream);
    if (seenCommand(summaryRead.events, metadata)) return this.firstResult(input, metadata);

    // a malformed id names no member: its row is rejected as UNKNOWN_MEMBER, never looked up
    const memberIds = [...new Set(input.rows.map((row) => row.memberId))].filter(isWellFormedId);
    const [rules, actsForUnionIds] = await Promise.all([
      membershipRulesOn(this.store, tenantId, paidOn),
      this.facts.actsFor(tenantId, metadata.actor, [unionId]),
    ]);
    // The members are read only for an actor who may import (the decider refuses anyone else).
    const members =
      memberIds.length === 0 || !actsForUnionIds.includes(unionId)
        ? new Map<string, PayrollMemberFacts>()
        : await this.facts.payrollMembers(tenantId, period, memberIds);
    const command = (
      rows: readonly DuesPayrollRow[],
      facts: ReadonlyMap<string, PayrollMemberFacts>,
    ): ImportDuesPayroll => ({
      type: 'ImportDuesPayroll',
      metadata,
      data: { unionId, period, paidOn, rows, members: facts, rules, actsForUnionIds },
    });
    const decision = decideDuesPayroll(command(input.rows, members));

    const rejectedRows = [...decision.rejected];
    let accepted = 0;
    let totalFen = 0;
    let batches = 0;
    let position: number | null = null;
    let summaryVersion = summaryRead.currentVersion;
    const chunks: PayrollAcceptedRow[][] = [];
    for (let i = 0; i < decision.accepted.length; i += PAYROLL_BATCH_SIZE) {
      chunks.push(decision.accepted.slice(i, i + PAYROLL_BATCH_SIZE));
    }
    // Events of every batch name the import's command id; only the last append registers it.
    const batchOptions = {
      metadata: {
        ...eventMetadata(metadata),
        ...(metadata.commandId === undefined ? {} : { commandId: metadata.commandId }),
      },
    };

    for (const [index, chunk] of chunks.entries()) {
      const last = index === chunks.length - 1;
      let rows = chunk;
      for (let attempt = 0; ; attempt++) {
        const appends: StreamAppend[] = rows.map((row) => ({
          streamId: memberStreamId(row.memberId),
          events: [row.event],
          expectedVersion: row.expectedVersion,
        }));
        if (last && accepted + rows.length > 0) {
          const summary: DuesPayrollImported = {
            type: 'DuesPayrollImported',
            data: {
              unionId,
              period,
              paidOn,
              rows: input.rows.length,
              accepted: accepted + rows.length,
              rejected: rejectedRows.length,
              totalFen: totalFen + sumFen(rows),
            },
          };
          appends.push({
            streamId: summaryStream,
            events: [summary],
            expectedVersion: expectedVersionOf(summaryVersion),
          });
        }
        if (appends.length === 0) break;
        try {
          const result = await this.store.appendToStreams(
            tenantId,
            appends,
            last ? appendOptions(metadata) : batchOptions,
          );
          batches += 1;
          position = result.position;
          if (result.duplicate) return this.firstResult(input, metadata);
          accepted += rows.length;
          totalFen += sumFen(rows);
          break;
        } catch (error) {
          if (attempt > 0 || !isConcurrencyConflict(error)) throw error;
          // Someone wrote to one of these members meanwhile: re-read them and re-judge the batch.
          const again = await this.redecide(
            tenantId,
            period,
            rows,
            input.rows,
            members,
            (sub, facts) => decideDuesPayroll(command(sub, facts)),
          );
          rows = again.accepted;
          rejectedRows.push(...again.rejected);
          if (last) {
            const summaryNow = await this.store.readStream(tenantId, summaryStream, {
              fromVersion: 2 ** 31 - 1,
            });
            summaryVersion = summaryNow.currentVersion;
          }
        }
      }
    }
    rejectedRows.sort((a, b) => a.rowNumber - b.rowNumber);
    return {
      unionId,
      period,
      position,
      duplicate: false,
      rows: input.rows.length,
      accepted,
      rejected: rejectedRows.length,
      totalFen,
      rejectedRows,
      batches,
    };
  }

  /**
   * The result of the run that first used this command id, from its summary. A command id the
   * store knows from another command cannot import a payroll.
   */
  private async firstResult(
    input: ImportDuesPayrollInput,
    metadata: CommandMetadata,
  ): Promise<PayrollOutcome> {
    const { unionId, period } = input;
    const summaries = await this.store.readStream<DuesPayrollImported>(
      metadata.tenantId,
      duesPayrollStreamId(unionId, period),
    );
    const seen = seenCommand(summaries.events, metadata);
    if (!seen) throw new Error('The command id was already used by another command');
    const first = seen.data as DuesPayrollImported['data'];
    return {
      unionId,
      period,
      position: seen.globalPosition,
      duplicate: true,
      rows: first.rows,
      accepted: first.accepted,
      rejected: first.rejected,
      totalFen: first.totalFen,
      rejectedRows: [],
      batches: 0,
    };
  }

  /**
   * Re-judges one batch from the member streams themselves (the read model may lag behind them),
   * keeping the rows' numbers from the payroll file.
   */
  private async redecide(
    tenantId: string,
    period: Period,
    batch: readonly PayrollAcceptedRow[],
    allRows: readonly DuesPayrollRow[],
    before: ReadonlyMap<string, PayrollMemberFacts>,
    decide: (
      rows: readonly DuesPayrollRow[],
      members: ReadonlyMap<string, PayrollMemberFacts>,
    ) => DuesPayrollDecision,
  ): Promise<{ accepted: PayrollAcceptedRow[]; rejected: PayrollRejectedRow[] }> {
    const members = new Map<string, PayrollMemberFacts>();
    for (let i = 0; i < batch.length; i += REREAD_CONCURRENCY) {
      await Promise.all(
        batch.slice(i, i + REREAD_CONCURRENCY).map(async ({ memberId }) => {
          const fresh = await this.memberFacts(tenantId, period, memberId, before.get(memberId));
          if (fresh !== null) members.set(memberId, fresh);
        }),
      );
    }
    const sub = decide(
      batch.map(
        ({ rowNumber, event }) =>
          allRows[rowNumber - 1] ?? {
            memberId: event.data.memberId,
            wageBaseFen: event.data.wageBaseFen,
            amountFen: event.data.amountFen,
          },
      ),
      members,
    );
    const fileRow = (subRowNumber: number): number =>
      batch[subRowNumber - 1]?.rowNumber ?? subRowNumber;
    return {
      accepted: sub.accepted.map((row) => ({ ...row, rowNumber: fileRow(row.rowNumber) })),
      rejected: sub.rejected.map((row) => ({ ...row, rowNumber: fileRow(row.rowNumber) })),
    };
  }

  /** One member's payroll facts from its stream; the union path is re-read only if it moved. */
  private async memberFacts(
    tenantId: string,
    period: Period,
    memberId: string,
    before: PayrollMemberFacts | undefined,
  ): Promise<PayrollMemberFacts | null> {
    const read = await this.store.readStream<MemberEvent>(tenantId, memberStreamId(memberId));
    const state = foldEvents(
      memberDecider,
      read.events.map((e) => ({ type: e.type, data: e.data }) as MemberEvent),
    );
    const dues = duesPaymentFacts(state, period);
    if (dues === null) return null;
    const unionId = unionOfMember(state);
    let unionPath = before?.unionPath ?? [];
    if (unionId !== null && unionPath.at(-1) !== unionId) {
      const union = await this.facts.union(tenantId, unionId);
      unionPath = union.status === 'NOT_FOUND' ? [unionId] : union.path.map((u) => u.unionId);
    }
    return { ...dues, unionPath, streamVersion: read.currentVersion };
  }
}
