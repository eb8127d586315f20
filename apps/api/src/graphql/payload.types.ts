import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Election, Transfer } from './governance.types';
import { Member } from './member.types';
import { Tenant } from './tenant.types';
import { Union } from './union.types';

// Every payload carries `position`: the global position written, usable as `consistentAfter`.

@ObjectType()
export class ProvisionTenantPayload {
  @Field(() => ID) tenantId!: string;
  @Field(() => Union) rootUnion!: Union;
  @Field(() => Tenant) tenant!: Tenant;
  @Field() position!: string;
}

@ObjectType()
export class UnionPayload {
  @Field(() => Union) union!: Union;
  @Field() position!: string;
}

@ObjectType()
export class MemberPayload {
  @Field(() => Member) member!: Member;
  @Field() position!: string;
}

@ObjectType()
export class TransferPayload {
  @Field(() => Transfer) transfer!: Transfer;
  @Field() position!: string;
}

@ObjectType()
export class ElectionPayload {
  @Field(() => Election) election!: Election;
  @Field() position!: string;
}

@ObjectType()
export class MemberImportPayload {
  @Field(() => Int) accepted!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => [String]) errors!: string[];
  @Field() position!: string;
}

@ObjectType()
export class DuesImportPayload {
  @Field(() => Int) accepted!: number;
  @Field(() => Int) rejected!: number;
  @Field(() => [String]) errors!: string[];
  @Field() position!: string;
}
