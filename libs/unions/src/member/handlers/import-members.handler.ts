import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import {
  article,
  hasControlCharacters,
  newId,
  streamId,
  type CommandMetadata,
  type IsoDate,
} from '@app/core';
import { EVENT_STORE, type EventStore, type StreamAppend } from '@app/event-store';
import type { MembersImported, MemberImportSource } from '../member.events';
import { memberStreamId } from '../member.decider';
import {
  decideMemberImport,
  normaliseCardNumber,
  type ImportMembers,
  type MemberImportAccepted,
  type MemberImportEarlierParts,
  type MemberImportRejected,
  type MemberImportRowData,
  type MemberImportTenantFacts,
} from '../member-import.decider';
import { requireAuthority } from '../member-checks.rules';
import { requireGrassrootsUnion } from '../membership.rules';
import { cardNumberReservations, formatGeneratedCardNumber } from './card-numbers';
import { assignGeneratedCards, protectRows, type ImportRowInput } from './import-members.rows';
import {
  appendOptions,
  decisionDate,
  derivedId,
  eventMetadata,
  grassrootsUnionFacts,
  isConcurrencyConflict,
  membershipRulesOn,
  seenCommand,
} from './member-handler.base';
import { MEMBER_FACTS, type MemberFactsPort } from './member-facts.port';
import { PERSONAL_DATA_PROTECTOR, type PersonalDataProtector } from './personal-data.port';

export type { ImportRowInput } from './import-members.rows';

/** Members per append: two streams each (member, card number), one round trip per batch. */
export const IMPORT_BATCH_SIZE = 2_500;
/** Appends of one import in flight at once (the last batch always goes alone, after the others). */
export const IMPORT_APPENDS_IN_FLIGHT = 2;

export interface ImportMembersInput {
  unionId: string;
  rows: readonly ImportRowInput[];
  /** The import date; today in the tenant's zone when absent. */
  importedOn?: IsoDate;
  channel?: MemberImportSource['channel'];
  /** The file name as given (never a path with personal data in it). */
  file?: string | null;
  /** Numbers taken by earlier parts of the same file (the CLI's parts). */
  earlier?: MemberImportEarlierParts | null;
}

export interface MembersImportOutcome {
  readonly unionId: string;
  readonly importId: string;
  /** Global position of the last append; null when nothing was written. */
  readonly position: number | null;
  /** The command id had already run: the counts are the first run's, the rows are not listed. */
  readonly duplicate: boolean;
  readonly rows: number;
  readonly accepted: number;
  /** Every row not imported, the already imported ones included. */
  readonly rejected: number;
  /** Of the rejected: rows a previous import already brought in (nothing to correct). */
  readonly alreadyImported: number;
  readonly rejectedRows: readonly MemberImportRejected[];
  readonly batches: number;
  /** The last generated card sequence this run handed out (null for a repeated command id). */
  readonly generatedThrough: number | null;
}

/** The member id of an imported row: the same employee number and joining date meet again. */
export const importedMemberId = (tenantId: string, employeeNo: string, joinedOn: string): string =>
  derivedId(tenantId, 'member-import', `${employeeNo.trim()}\u0000${joinedOn.trim()}`);

export const memberImportStreamId = (unionId: string): string => streamId('member-import', unionId);

/**
 * `importMembers` (issue 9): an existing roll into a grassroots union. Facts for all rows are
 * read set-based in one query, personal data is encrypted in one round trip, the rows are judged
 * by `decideMemberImport`, and the accepted `MemberImported` events go in with their card-number
 * reservations in batches, one append each (`no_stream` on both streams, so nobody is imported
 * twice and no card number is issued twice, even by racing imports). The summary goes with the
 * last batch under the command id; a repeated command id returns the first result.
 */
export class ImportMembersCommand extends Command<MembersImportOutcome> {
  constructor(
    readonly input: ImportMembersInput,
    readonly metadata: CommandMetadata,
  ) {
    super();
  }
}

@CommandHandler(ImportMembersCommand)
export class ImportMembersHandler implements ICommandHandler<ImportMembersCommand> {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(MEMBER_FACTS) private readonly facts: MemberFactsPort,
    @Inject(PERSONAL_DATA_PROTECTOR) private readonly protector: PersonalDataProtector,
  ) {}

  async execute({ input, metadata }: ImportMembersCommand): Promise<MembersImportOutcome> {
    const { tenantId } = metadata;
    const summaryStream = memberImportStreamId(input.unionId);
    if (metadata.commandId !== undefined) {
      const first = await this.firstResult(input.unionId, metadata);
      if (first !== null) return first;
    }
    const importedOn = decisionDate(metadata, input.importedOn);
    const [rules, union, actsForUnionIds] = await Promise.all([
      membershipRulesOn(this.store, tenantId, importedOn),
      grassrootsUnionFacts(this.facts, tenantId, input.unionId),
      this.facts.actsFor(tenantId, metadata.actor, [input.unionId]),
    ]);
    // Refused as a whole before anything is read, generated or encrypted for the rows.
    requireGrassrootsUnion(union);
    requireAuthority(actsForUnionIds, union.unionId, article(19, 2));

    const importId = metadata.commandId ?? newId();
    const rows = input.rows.map((row, index): MemberImportRowData => {
      const key = (row.employeeNo ?? '').trim() + (row.joinedOn ?? '').trim();
      return {
        rowNumber: row.rowNumber ?? index + 1,
        // a row without either is rejected for the missing field; its id names nothing
        memberId:
          key === ''
            ? newId()
            : importedMemberId(tenantId, row.employeeNo ?? '', row.joinedOn ?? ''),
        employeeNo: row.employeeNo,
        name: row.name,
        gender: row.gender,
        joinedOn: row.joinedOn,
        cardNumber: row.cardNumber,
        cardNumberGenerated: false,
        nationalId: null,
        phone: null,
        status: row.status,
        duesExempt: row.duesExempt,
      };
    });
    const {
      rows: carded,
      facts,
      last: generatedThrough,
    } = await this.judgeFacts(tenantId, rows, input.earlier?.generatedThrough);
    const protectedRows = await protectRows(this.protector, tenantId, carded, input.rows, facts);
    const command = (
      judged: readonly MemberImportRowData[],
      tenant: MemberImportTenantFacts,
    ): ImportMembers => ({
      type: 'ImportMembers',
      metadata,
      data: {
        rules,
        actsForUnionIds,
        union,
        importId,
        importedOn,
        channel: input.channel ?? 'API',
        file: input.file ?? null,
        rows: judged,
        tenant,
        earlier: input.earlier ?? null,
      },
    });
    const decision = decideMemberImport(command(protectedRows, facts));
    const rejectedRows = [...decision.rejected];
    const summary = (accepted: number): MembersImported => ({
      type: 'MembersImported',
      data: {
        unionId: union.unionId,
        importId,
        channel: input.channel ?? 'API',
        file: input.file ?? null,
        importedOn,
        rows: input.rows.length,
        accepted,
        rejected: rejectedRows.length,
        alreadyImported: rejectedRows.filter((r) => r.reason === 'ALREADY_IMPORTED').length,
      },
    });
    const byRow = new Map(protectedRows.map((row) => [row.rowNumber, row]));
    // Events of every batch name the import's command id; only the last append registers it.
    const batchOptions = {
      metadata: {
        ...eventMetadata(metadata),
        ...(metadata.commandId === undefined ? {} : { commandId: metadata.commandId }),
      },
    };

    let accepted = 0;
    let batches = 0;
    let position: number | null = null;
    const chunks: MemberImportAccepted[][] = [];
    for (let i = 0; i < decision.accepted.length; i += IMPORT_BATCH_SIZE) {
      chunks.push(decision.accepted.slice(i, i + IMPORT_BATCH_SIZE));
    }
    /** One batch in one append; the first result when the command id turns out to be taken. */
    const appendBatch = async (
      chunk: readonly MemberImportAccepted[],
      last: boolean,
    ): Promise<MembersImportOutcome | null> => {
      let batch = chunk;
      for (let attempt = 0; ; attempt++) {
        if (batch.length === 0) return null; // every row of the batch lost a race
        const appends: StreamAppend[] = [];
        for (const { memberId, event } of batch) {
          appends.push(...cardNumberReservations([event]), {
            streamId: memberStreamId(memberId),
            events: [event],
            expectedVersion: 'no_stream',
          });
        }
        if (last) {
          appends.push({
            streamId: summaryStream,
            events: [summary(accepted + batch.length)],
            expectedVersion: 'any',
          });
        }
        try {
          const result = await this.store.appendToStreams(
            tenantId,
            appends,
            last ? appendOptions(metadata) : batchOptions,
          );
          if (result.duplicate) {
            // The command id was recorded meanwhile: by a racing twin (its result), or by another
            // command, which cannot be answered with an import's counts.
            const first = await this.firstResult(input.unionId, metadata);
            if (first === null)
              throw new Error('The command id was already used by another command');
            return first;
          }
          batches += 1;
          position = Math.max(position ?? 0, result.position);
          accepted += batch.length;
          return null;
        } catch (error) {
          if (attempt > 0 || !isConcurrencyConflict(error)) throw error;
          // A racing import took a member or a card number: re-judge this batch on fresh facts.
          const again = await this.judgeFacts(
            tenantId,
            batch.map((row) => byRow.get(row.rowNumber)).filter((row) => row !== undefined),
            generatedThrough, // past the numbers this import handed out already
          );
          const sub = decideMemberImport(command(again.rows, again.facts));
          batch = [...sub.accepted];
          rejectedRows.push(...sub.rejected);
        }
      }
    };
    // Nothing accepted (a re-import, a file of bad rows): nothing is appended at all. Every batch
    // but the last goes in with another in flight (PostgreSQL inserts one while this process
    // encodes the next); the last, with the summary and the command id, after all of them.
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < chunks.length - 1) {
        const chunk = chunks[next++];
        if (chunk !== undefined) await appendBatch(chunk, false);
      }
    };
    await Promise.all(Array.from({ length: IMPORT_APPENDS_IN_FLIGHT }, worker));
    const lastChunk = chunks.at(-1);
    if (lastChunk !== undefined) {
      const first = await appendBatch(lastChunk, true);
      if (first !== null) return first;
    }
    rejectedRows.sort((a, b) => a.rowNumber - b.rowNumber);
    return {
      unionId: union.unionId,
      importId,
      position,
      duplicate: false,
      rows: input.rows.length,
      accepted,
      rejected: rejectedRows.length,
      alreadyImported: rejectedRows.filter((r) => r.reason === 'ALREADY_IMPORTED').length,
      rejectedRows,
      batches,
      generatedThrough,
    };
  }

  /**
   * Tenant facts for the rows, with generated card numbers that are free in the store. Rows
   * imported before are found first, by one primary-key lookup of their member streams, and take
   * no further part: no card number is generated for them, their numbers are not looked up, and
   * when every row is one of them (the same file run again) that lookup is all the work.
   */
  private async judgeFacts(
    tenantId: string,
    rows: readonly MemberImportRowData[],
    generatedThrough: number | null | undefined,
  ): Promise<{ rows: MemberImportRowData[]; facts: MemberImportTenantFacts; last: number }> {
    const { existingMemberIds } = await this.facts.importFacts(tenantId, {
      memberIds: rows.map((row) => row.memberId),
      employeeNos: [],
      cardNumbers: [],
    });
    const fresh = (row: MemberImportRowData) => !existingMemberIds.has(row.memberId);
    if (!rows.some(fresh)) {
      return {
        rows: [...rows],
        facts: { existingMemberIds, employeeNosInUse: new Set(), cardNumbersInUse: new Set() },
        last: generatedThrough ?? 0,
      };
    }
    // earlier parts of the same file issued numbers the read model may not show yet
    const known = await this.facts.lastGeneratedCardSequence(tenantId);
    let start = Math.max(known, generatedThrough ?? 0) + 1;
    for (let attempt = 0; ; attempt++) {
      const { rows: carded, generated, last } = assignGeneratedCards(rows, start, fresh);
      const pending = carded.filter(fresh);
      const facts = await this.facts.importFacts(tenantId, {
        memberIds: [],
        // a number with control characters is a rejected row: never looked up
        employeeNos: pending
          .map((row) => (row.employeeNo ?? '').trim())
          .filter((no) => no !== '' && !hasControlCharacters(no)),
        cardNumbers: pending
          .map((row) => normaliseCardNumber(row.cardNumber ?? ''))
          .filter((no) => no !== '' && !hasControlCharacters(no)),
      });
      const judged = { ...facts, existingMemberIds };
      // The read model's last generated number may lag (an import just issued thousands): probe
      // exponentially past the clash for the frontier of taken numbers, and start after it.
      if (!generated.some((card) => facts.cardNumbersInUse.has(card)) || attempt >= 8) {
        return { rows: carded, facts: judged, last };
      }
      const probes = Array.from({ length: 25 }, (_, k) => last + 2 ** k);
      const taken = await this.facts.importFacts(tenantId, {
        memberIds: [],
        employeeNos: [],
        cardNumbers: probes.map(formatGeneratedCardNumber),
      });
      const frontier = probes.filter((n) =>
        taken.cardNumbersInUse.has(formatGeneratedCardNumber(n)),
      );
      start = Math.max(last, ...frontier) + 1;
    }
  }

  /** The result of the run that first used this command id, or null when it has not run. */
  private async firstResult(
    unionId: string,
    metadata: CommandMetadata,
  ): Promise<MembersImportOutcome | null> {
    const read = await this.store.readStream<MembersImported>(
      metadata.tenantId,
      memberImportStreamId(unionId),
    );
    const seen = seenCommand(read.events, metadata);
    if (!seen) return null;
    const first = seen.data as MembersImported['data'];
    return {
      unionId,
      importId: first.importId,
      position: seen.globalPosition,
      duplicate: true,
      rows: first.rows,
      accepted: first.accepted,
      rejected: first.rejected,
      alreadyImported: first.alreadyImported,
      rejectedRows: [],
      batches: 0,
      generatedThrough: null,
    };
  }
}
