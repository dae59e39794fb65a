import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Production of a sales order so far; cancelled work orders are left out.', simpleResolvers: true })
export class ProductionProgress {
  @Field(() => Int) quantityPlanned!: number;
  @Field(() => Int) quantityGood!: number;
  @Field(() => Int) quantityScrap!: number;
  @Field(() => Float, { description: 'Good / planned × 100, capped at 100; 0 when nothing is planned.' })
  percentComplete!: number;
  @Field(() => Int) workOrderCount!: number;
  @Field(() => Int) completedWorkOrderCount!: number;
}
