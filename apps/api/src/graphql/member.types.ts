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
  // Personal data (PIPL), resolved per request by MemberPersonalDataResolver
  @Field(() => String, {
    nullable: true,
    description:
      'National id: masked (110***********1234) unless the token grants PII_READ; null when none or erased',
  })
  nationalId?: string | null;
  @Field(() => String, {
    nullable: true,
    description:
      'Phone: masked (138****5678) unless the token grants PII_READ; null when none or erased',
  })
  phone?: string | null;
  @Field(() => Boolean, {
    description:
      'True once eraseMemberPersonalData destroyed the key: nationalId and phone are gone',
  })
  personalDataErased?: boolean;
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
