import { Field, GraphQLISODateTime, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { JsonValue } from './scalars';
import { PageInfo } from './union.types';

@ObjectType()
export class AuditEvent {
  @Field({ description: 'global position (bigint as string)' }) position!: string;
  @Field({ description: 'contiguous per tenant' }) tenantSequence!: string;
  @Field() streamId!: string;
  @Field(() => Int) version!: number;
  @Field() type!: string;
  @Field(() => JsonValue) data!: unknown;
  @Field(() => JsonValue) metadata!: unknown;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
  @Field(() => String, { nullable: true }) actor!: string | null;
  @Field() hash!: string;
}

@ObjectType()
export class ReplayStep {
  @Field(() => Int) version!: number;
  @Field() type!: string;
  @Field(() => GraphQLISODateTime) recordedAt!: Date;
  @Field(() => JsonValue) state!: unknown;
}

@ObjectType()
export class AuditChainVerification {
  @Field() ok!: boolean;
  @Field(() => Int) checkedEvents!: number;
  @Field(() => String, { nullable: true }) firstBrokenSequence!: string | null;
}

@ObjectType()
export class AuditEventConnection {
  @Field(() => [AuditEvent]) nodes!: AuditEvent[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
}

@InputType()
export class AuditFilter {
  @Field(() => String, { nullable: true }) streamId?: string | null;
  @Field(() => ID, { nullable: true }) unionId?: string | null;
  @Field(() => Boolean, { nullable: true }) includeSubtree?: boolean | null;
  @Field(() => ID, { nullable: true }) memberId?: string | null;
  @Field(() => String, { nullable: true }) actor?: string | null;
  @Field(() => [String], { nullable: true }) types?: string[] | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) from?: Date | null;
  @Field(() => GraphQLISODateTime, { nullable: true }) to?: Date | null;
}

@ObjectType()
export class Viewer {
  @Field(() => ID) userId!: string;
  @Field(() => ID, { nullable: true }) tenantId!: string | null;
  @Field(() => [String]) roles!: string[];
  @Field(() => ID, { nullable: true }) unitId!: string | null;
  @Field(() => ID, { nullable: true }) memberId!: string | null;
}
