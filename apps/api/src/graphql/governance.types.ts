import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { ElectionKind, ElectionStatus, TransferStatus } from './enums';

@ObjectType()
export class ComplianceAlert {
  @Field(() => ID) unionId!: string;
  @Field({ description: 'e.g. COMMITTEE_REQUIRED, WOMEN_COMMITTEE_REQUIRED, TERM_EXPIRED' })
  rule!: string;
  @Field({ description: 'e.g. "Art. 6"' }) article!: string;
  @Field({ description: 'VIOLATION | WARNING' }) severity!: string;
  @Field() message!: string;
}

@ObjectType()
export class Election {
  @Field(() => ID) id!: string;
  @Field(() => ID) unionId!: string;
  @Field(() => ElectionKind) kind!: string;
  @Field(() => ElectionStatus) status!: string;
  @Field(() => Int) seats!: number;
  @Field(() => Int) expectedVoters!: number;
  @Field(() => Int, { nullable: true }) votersPresent!: number | null;
  @Field(() => [ID]) winners!: string[];
  @Field(() => String, { nullable: true }) failureReason!: string | null;
}

@ObjectType()
export class Transfer {
  @Field(() => ID) id!: string;
  @Field(() => ID) memberId!: string;
  @Field(() => ID) fromUnionId!: string;
  @Field(() => ID, { nullable: true }) toUnionId!: string | null;
  @Field(() => String, { nullable: true }) toExternal!: string | null;
  @Field(() => TransferStatus) status!: string;
  @Field(() => [ID]) handledByUnionIds!: string[];
}
