import type { IsoDate } from '@app/core';
import type { MemberLookup, MemberStanding, UnionLookup } from '../union.commands';

/**
 * What command handlers need to know beyond the stream they write: answered from read models
 * (union tree, member roll) by an adapter the application wires in under `UNION_FACTS`.
 */
export interface UnionFactsPort {
  union(tenantId: string, unionId: string): Promise<UnionLookup>;
  /** Names of the parent's pending or active children, `exceptUnionId` left out. */
  siblingNames(tenantId: string, parentId: string, exceptUnionId: string): Promise<string[]>;
  /** Whether the user is an officer of this union (or of one above it). */
  isOfficerOf(tenantId: string, userId: string, unionId: string): Promise<boolean>;
  /** Roll counts on a date: active members, those who may vote, female members, active children. */
  counts(tenantId: string, unionId: string, on: IsoDate): Promise<RollCounts>;
  member(tenantId: string, memberId: string): Promise<MemberLookup>;
  /** Per member: standing, whether in this union's electorate, whether a woman (Art. 9 only). */
  candidates(
    tenantId: string,
    unionId: string,
    memberIds: readonly string[],
  ): Promise<CandidateRow[]>;
}

export interface RollCounts {
  readonly activeMembers: number;
  readonly eligibleVoters: number;
  readonly femaleMembers: number;
  readonly activeChildUnions: number;
}

export interface CandidateRow {
  readonly memberId: string;
  readonly status: MemberStanding | 'NOT_FOUND';
  readonly inElectorate: boolean;
  readonly female: boolean;
}

export const UNION_FACTS = Symbol('UNION_FACTS');
