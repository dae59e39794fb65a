import { Directive, Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { InspectionResult, QualityInspectionRecord } from '../backend/mes-backend';
import { toDate } from '../dates';
import { InspectionResultEnum } from '../enums';
import { Scope, requiresScopes } from '../../common/scopes';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'One measured characteristic checked against its limits (ISA-95 test result).', simpleResolvers: true })
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class QualityInspection {
  @Field(() => ID) id!: string;
  @Field(() => String) characteristic!: string;
  @Field(() => Float) measuredValue!: number;
  @Field(() => Float) lowerLimit!: number;
  @Field(() => Float) upperLimit!: number;
  @Field(() => String) unit!: string;
  @Field(() => InspectionResultEnum) result!: InspectionResult;
  @Field(() => Date) inspectedAt!: Date;
  /** Resolved by QualityInspectionResolver (workOrder, lot, nonConformance). */
  workOrderId!: string;
  lotNumber!: string | null;
  nonConformanceId!: string | null;

  static from(record: QualityInspectionRecord): QualityInspection {
    return Object.assign(new QualityInspection(), {
      id: record.id,
      characteristic: record.characteristic,
      measuredValue: record.measuredValue,
      lowerLimit: record.lowerLimit,
      upperLimit: record.upperLimit,
      unit: record.unit,
      result: record.result,
      inspectedAt: toDate(record.inspectedAt),
      workOrderId: record.workOrderId,
      lotNumber: record.lotNumber,
      nonConformanceId: record.nonConformanceId,
    });
  }
}

@ObjectType()
export class QualityInspectionConnection extends Connection(QualityInspection, 'QualityInspection') {}

@InputType('QualityInspectionFilter', { description: 'All given fields must match.' })
export class QualityInspectionFilterInput {
  @Field(() => InspectionResultEnum, { nullable: true }) result?: InspectionResult | null;
  @Field(() => ID, { nullable: true }) workOrderId?: string | null;
}
