import { Field, Float, Int, ObjectType } from 'type-graphql';
import { ProductionRiskLevelEnum, type ProductionRiskLevel } from '../enums';

@ObjectType({ description: 'Will production finish by the ERP due date at the measured rate? (rule: production-risk.ts)', simpleResolvers: true })
export class ProductionRisk {
  @Field(() => ProductionRiskLevelEnum) level!: ProductionRiskLevel;
  @Field(() => Date, { nullable: true, description: 'Null when no good output has been measured yet.' })
  projectedCompletion!: Date | null;
  @Field(() => Int, { description: 'Good units still to make on open work orders.' }) remainingQuantity!: number;
  @Field(() => Float, { nullable: true, description: 'Measured good + scrap per hour since the first start.' })
  ratePerHour!: number | null;
  @Field(() => Float, { nullable: true, description: 'Measured good units per hour: the rate the projection uses.' })
  goodRatePerHour!: number | null;
}
