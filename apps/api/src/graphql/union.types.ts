import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { CommitteeRole, GovernanceForm, UnionLevel, UnionStatus } from './enums';
import { CalendarDate } from './scalars';

@ObjectType()
export class PageInfo {
  @Field() hasNextPage!: boolean;
  @Field(() => String, { nullable: true }) endCursor!: string | null;
}

@ObjectType()
export class UnionStats {
  @Field(() => Int, { description: 'ACTIVE members held by this union itself' }) members!: number;
  @Field(() => Int) femaleMembers!: number;
  @Field(() => Int) retainedMembers!: number;
  @Field(() => Int, { description: 'ACTIVE members in this union and every union below it' })
  subtreeMembers!: number;
  @Field(() => Int) subtreeFemaleMembers!: number;
  @Field(() => Int, { description: 'ACTIVE unions below it' }) subtreeUnions!: number;
  /** Resolved by UnionStatsResolver, only when selected. */
  arrearsMembers!: number;
  /** Which union (and date) these figures are of, for the field resolvers; not in the schema. */
  owner!: { tenantId: string; unionId: string; asOf?: string | null };
}

@ObjectType()
export class CommitteeSeat {
  @Field(() => ID) memberId!: string;
  @Field() name!: string;
  @Field(() => [CommitteeRole]) roles!: string[];
}

@ObjectType()
export class Union {
  @Field(() => ID) id!: string;
  @Field(() => ID) tenantId!: string;
  @Field() name!: string;
  @Field(() => UnionLevel) level!: string;
  @Field(() => UnionStatus) status!: string;
  @Field(() => ID, { nullable: true }) parentId!: string | null;
  @Field(() => [ID], { description: 'root first, parent last' }) ancestorIds!: string[];
  @Field(() => GovernanceForm) governanceForm!: string;
  @Field(() => CalendarDate, { nullable: true }) termStart!: string | null;
  @Field(() => CalendarDate, { nullable: true }) termEnd!: string | null;
  // resolved by field resolvers: committee (names), stats (arrears), children
  @Field(() => Int, { description: 'stream version, usable as expectedVersion' }) version!: number;
  /** internal: the materialised path, for scope checks and subtree queries */
  path!: string;
  /** internal: set when the union is shown as of a past date */
  asOf?: string;
  committeeSeats!: { memberId: string; roles: string[] }[];
  statsBase!: Omit<UnionStats, 'arrearsMembers' | 'owner'>;
}

@ObjectType()
export class UnionConnection {
  @Field(() => [Union]) nodes!: Union[];
  @Field(() => PageInfo) pageInfo!: PageInfo;
  @Field(() => Int) totalCount!: number;
}
