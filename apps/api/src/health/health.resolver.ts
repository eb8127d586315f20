import { Inject } from '@nestjs/common';
import { Field, Int, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { APP_POOL } from '@app/database';
import { listCheckpoints } from '@app/event-store';
import type { Pool } from 'pg';

@ObjectType()
class FollowerStatus {
  @Field() name!: string;
  @Field(() => String, { description: 'Global position of the last event handled' })
  position!: string;
  @Field(() => Int, { description: 'Events not yet handled' }) lagEvents!: number;
  @Field(() => String, { nullable: true }) failedReason!: string | null;
}

@ObjectType()
class Health {
  @Field() status!: string;
  @Field() database!: boolean;
  @Field(() => String, { description: 'Global position of the newest event' })
  headPosition!: string;
  @Field(() => [FollowerStatus]) followers!: FollowerStatus[];
}

/** Liveness and the followers' lag, for operators and load balancers. No tenant data. */
@Resolver(() => Health)
export class HealthResolver {
  constructor(@Inject(APP_POOL) private readonly pool: Pool) {}

  @Query(() => Health)
  async health(): Promise<Health> {
    const { rows } = await this.pool.query<{ head: string }>(
      "SELECT coalesce(pg_sequence_last_value('events_global_position_seq'), 0)::text AS head",
    );
    const head = Number(rows[0]?.head ?? 0);
    const followers = await listCheckpoints(this.pool);
    return {
      status: 'ok',
      database: true,
      headPosition: String(head),
      followers: followers.map((f) => ({
        name: f.name,
        position: String(f.checkpoint.position),
        lagEvents: Math.max(0, head - f.checkpoint.position),
        failedReason: f.failedReason,
      })),
    };
  }
}
