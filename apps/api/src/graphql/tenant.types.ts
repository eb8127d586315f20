import { Field, ID, ObjectType } from '@nestjs/graphql';
import { RulePreset } from './enums';
import { CalendarDate } from './scalars';

@ObjectType({ description: 'A tenant (company) as provisioned' })
export class Tenant {
  @Field(() => ID) id!: string;
  @Field(() => String, {
    nullable: true,
    description: 'ProvisionTenantInput.name (null for tenants provisioned before it was kept)',
  })
  name!: string | null;
  @Field(() => RulePreset, { description: 'The rule preset provisioned with' }) preset!: string;
  @Field(() => CalendarDate) provisionedOn!: string;
}
