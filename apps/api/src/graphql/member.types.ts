import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Gender, MemberStatus } from './enums';
import { CalendarDate } from './scalars';
import { PageInfo } from './union.types';

@ObjectType()
export class Member {
  @Field(() => ID) id!: string;
  @Field(() => ID) unionId!: string;
  @Field(() => MemberStatus) status!: string;
  @Field() name!: string;
  @Field(() => Gender) gender!: string;
  @Field() employeeNo!: string;
  @Field(() => String, { nullable: true }) cardNumber!: string | null;
  @Field(() => CalendarDate, { nullable: true }) joinedOn!: string | null;
  @Field() duesExempt!: boolean;
  @Field(() => Int) consecutiveUnpaidMonths!: number;
  @Field(() => String, { nullable: true }) lastPaidPeriod!: string | null;
  @Field(() => Int) version!: number;
}

@ObjectType()
export class MemberConnection {
  @Field(() => [Member]) nodes!: Member[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}

@ObjectType()
export class DuesPeriod {
  @Field() period!: string;
  @Field(() => Int) expectedFen!: number;
  @Field(() => Int) paidFen!: number;
  @Field(() => Int) payingMembers!: number;
  @Field(() => Int) unpaidMembers!: number;
}
