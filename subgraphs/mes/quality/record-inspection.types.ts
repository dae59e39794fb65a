import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { NonConformance } from './non-conformance.type';
import { QualityInspection } from './quality-inspection.type';

@InputType({ description: 'A measurement to record; the result (PASS/FAIL) is computed from the limits.' })
export class RecordInspectionInput {
  @Field(() => ID) workOrderId!: string;
  @Field(() => String, { nullable: true, description: 'The lot inspected, if the sample is tied to one.' })
  lotNumber?: string | null;
  @Field(() => String) characteristic!: string;
  @Field(() => Float) measuredValue!: number;
  @Field(() => Float) lowerLimit!: number;
  @Field(() => Float) upperLimit!: number;
  @Field(() => String) unit!: string;
}

@ObjectType()
export class RecordInspectionPayload {
  @Field(() => QualityInspection) inspection!: QualityInspection;
  @Field(() => NonConformance, { nullable: true, description: 'Opened when the inspection failed.' })
  nonConformance!: NonConformance | null;
}
