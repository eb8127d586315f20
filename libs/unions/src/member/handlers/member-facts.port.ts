import type { Period } from '@app/core';
import type { PayrollMemberFacts } from '../../dues/dues-payroll.commands';
import type { UnionLevelName, UnionStatusName } from '../member.commands';
import type { MemberImportTenantFacts } from '../member-import.decider';
import type { UnionPath } from '../../transfer/transfer-routing.rules';

/** A union as the membership handlers need it: level, status and its place in the tree. */
export type MemberUnionLookup =
  | {
      readonly unionId: string;
      readonly level: UnionLevelName;
      readonly status: UnionStatusName;
      /** The union's ancestry: the COMPANY union first, the union itself last. */
      readonly path: UnionPath;
    }
  | { readonly unionId: string; readonly status: 'NOT_FOUND' };

/**
 * What the membership, transfer and dues handlers must look up beyond the streams they write,
 * answered from read models by an adapter the application wires in under `MEMBER_FACTS`.
 * Everything else (member and transfer state, tenant rule settings, card number reservations) is
 * read from the event store itself. No method receives or returns personal data.
 */
export interface MemberFactsPort {
  /** The union by id within the tenant, with its ancestry; NOT_FOUND when unknown. */
  union(tenantId: string, unionId: string): Promise<MemberUnionLookup>;
  /**
   * Of `unionIds`, the ones the user may act for: an officer of that union or of a union above it
   * (order irrelevant; unknown ids are simply left out).
   */
  actsFor(tenantId: string, userId: string, unionIds: readonly string[]): Promise<string[]>;
  /**
   * Whether a membership that has not ended (APPLIED, ACTIVE or RETAINED), other than
   * `exceptMemberId`, uses this employee number in the tenant (compared after trimming).
   */
  employeeNoInUse(tenantId: string, employeeNo: string, exceptMemberId: string): Promise<boolean>;
  /**
   * The highest sequence among the card numbers the system generated in the tenant, 0 when none
   * (see `generatedCardSequence`). Only a starting hint: uniqueness is enforced by the store.
   */
  lastGeneratedCardSequence(tenantId: string): Promise<number>;
  /**
   * Set-based, for a payroll import: the compact dues facts of the named members for `period`
   * (standing, joining month, exemption, already paid, union path, member stream version). A
   * member unknown in the tenant is absent from the map. Called once per import with all row ids.
   */
  payrollMembers(
    tenantId: string,
    period: Period,
    memberIds: readonly string[],
  ): Promise<ReadonlyMap<string, PayrollMemberFacts>>;
  /**
   * Set-based, for a roll import: which of the member ids already have a stream, which employee
   * numbers belong to a membership that has not ended, and which card numbers are reserved (the
   * latter two as given: employee numbers trimmed, card numbers upper-cased). Member and card
   * number streams are read from the event store itself, so they never lag.
   */
  importFacts(
    tenantId: string,
    query: {
      readonly memberIds: readonly string[];
      readonly employeeNos: readonly string[];
      readonly cardNumbers: readonly string[];
    },
  ): Promise<MemberImportTenantFacts>;
}

export const MEMBER_FACTS = Symbol('MEMBER_FACTS');
