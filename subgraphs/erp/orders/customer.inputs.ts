import { Field, InputType } from 'type-graphql';

@InputType('CustomerFilter')
export class CustomerFilterInput {
  @Field(() => String, { nullable: true, description: 'ISO 3166-1 alpha-2 country code.' })
  country?: string | null;
}
