import { Field, InputType } from 'type-graphql';

@InputType('ProductFilter')
export class ProductFilterInput {
  @Field(() => Boolean, { nullable: true, description: 'Only products whose onHand is at or below their reorder point.' })
  belowReorderPoint?: boolean | null;
}
