import { Field, ID, InputType, Int } from '@nestjs/graphql';
import {
  CommitteeRole,
  ElectionKind,
  Gender,
  GovernanceForm,
  MemberStatus,
  RulePreset,
  UnionLevel,
} from './enums';
import { CalendarDate } from './scalars';

// Every mutation input accepts `commandId`: the same id twice returns the first result.

@InputType()
export class ProvisionTenantInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) tenantId!: string;
  @Field() name!: string;
  @Field() rootUnionName!: string;
  @Field(() => RulePreset, { nullable: true }) preset?: string | null;
}

@InputType()
export class EstablishUnionInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) parentId!: string;
  @Field() name!: string;
  @Field(() => UnionLevel) level!: string;
  @Field(() => CalendarDate, { nullable: true }) establishedOn?: string | null;
}

@InputType()
export class UnionRefInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
}

@InputType()
export class SetGovernanceFormInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field(() => GovernanceForm) form!: string;
  @Field(() => [ID], { nullable: true }) jointWithUnionIds?: string[] | null;
  @Field(() => ID, { nullable: true }) organizerMemberId?: string | null;
}

@InputType()
export class DissolveUnionInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field() reason!: string;
  @Field() adminDecisionRef!: string;
}

@InputType()
export class ApplyForMembershipInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field() name!: string;
  @Field(() => Gender) gender!: string;
  @Field() employeeNo!: string;
  @Field(() => String, { nullable: true }) nationalId?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => CalendarDate, { nullable: true }) appliedOn?: string | null;
}

@InputType()
export class ApproveMembershipInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field(() => String, { nullable: true }) cardNumber?: string | null;
  @Field(() => CalendarDate, { nullable: true }) decidedOn?: string | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class MemberDecisionInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field(() => CalendarDate, { nullable: true }) decidedOn?: string | null;
  @Field(() => String, { nullable: true }) note?: string | null;
  @Field(() => Int, { nullable: true }) expectedVersion?: number | null;
}

@InputType()
export class RecordDuesPaymentInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field() period!: string;
  @Field(() => Int) wageBaseFen!: number;
  @Field(() => Int, { nullable: true }) amountFen?: number | null;
  @Field(() => CalendarDate, { nullable: true }) paidOn?: string | null;
}

@InputType()
export class DuesPayrollRow {
  @Field(() => ID) memberId!: string;
  @Field(() => Int) wageBaseFen!: number;
  @Field(() => Int, { nullable: true }) amountFen?: number | null;
}

@InputType()
export class MemberImportRow {
  @Field() employeeNo!: string;
  @Field() name!: string;
  @Field(() => Gender) gender!: string;
  @Field(() => CalendarDate) joinedOn!: string;
  @Field(() => String, { nullable: true }) cardNumber?: string | null;
  @Field(() => String, { nullable: true }) nationalId?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => MemberStatus, { nullable: true }) status?: string | null;
  @Field(() => Boolean, { nullable: true }) duesExempt?: boolean | null;
}

@InputType()
export class ImportMembersInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field(() => [MemberImportRow]) rows!: MemberImportRow[];
}

@InputType()
export class ImportDuesPayrollInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field() period!: string;
  @Field(() => [DuesPayrollRow]) rows!: DuesPayrollRow[];
}

@InputType()
export class RequestTransferInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field(() => ID, { nullable: true }) toUnionId?: string | null;
  @Field(() => String, { nullable: true }) toExternal?: string | null;
  @Field(() => CalendarDate, { nullable: true }) effectiveOn?: string | null;
}

@InputType()
export class TransferRefInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) transferId!: string;
  @Field(() => String, { nullable: true }) note?: string | null;
}

@InputType()
export class WithdrawMemberInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field(() => CalendarDate, { nullable: true }) decidedOn?: string | null;
  @Field() cardReturned!: boolean;
}

@InputType({ description: "PIPL erasure of a member's national id and phone (crypto-shredding)" })
export class EraseMemberPersonalDataInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field(() => String, { nullable: true }) reason?: string | null;
}

@InputType()
export class ExpelMemberInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) memberId!: string;
  @Field() criminalSanctionRef!: string;
  @Field() committeeDecisionRef!: string;
  @Field(() => CalendarDate, { nullable: true }) decidedOn?: string | null;
}

@InputType()
export class CallElectionInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field(() => ElectionKind) kind!: string;
  @Field(() => Int) seats!: number;
  @Field(() => Int) expectedVoters!: number;
  @Field(() => [ID]) candidateMemberIds!: string[];
  @Field(() => Int, {
    nullable: true,
    description:
      "COMMITTEE only: the term the congress decided, in years (one of the tenant's allowed terms, Art. 7); default the shortest allowed",
  })
  termYears?: number | null;
}

@InputType()
export class VoteTally {
  @Field(() => ID) memberId!: string;
  @Field(() => Int) votes!: number;
}

@InputType()
export class RecordElectionResultInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) electionId!: string;
  @Field(() => Int) votersPresent!: number;
  @Field(() => [VoteTally]) tallies!: VoteTally[];
  @Field(() => CalendarDate, { nullable: true }) heldOn?: string | null;
}

@InputType()
export class ElectionRefInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) electionId!: string;
}

@InputType()
export class CommitteeAssignment {
  @Field(() => ID) memberId!: string;
  @Field(() => [CommitteeRole]) roles!: string[];
}

@InputType()
export class AssignCommitteeRolesInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field(() => [CommitteeAssignment]) assignments!: CommitteeAssignment[];
}

@InputType()
export class ExtendTermInput {
  @Field(() => ID, { nullable: true }) commandId?: string | null;
  @Field(() => ID) unionId!: string;
  @Field(() => Int) months!: number;
  @Field(() => Boolean, { nullable: true }) special?: boolean | null;
  @Field() approvalRef!: string;
}
