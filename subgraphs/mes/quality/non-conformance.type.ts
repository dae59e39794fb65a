import { Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { NonConformanceRecord, NonConformanceStatus } from '../backend/mes-backend';
import { toDate } from '../dates';
import { NonConformanceStatusEnum } from '../enums';
import { Scope, requiresScopes } from '../../common/scopes';

@Directive('@key(fields: "id")')
@ObjectType({ description: 'A recorded failure to meet a specification, opened by a failed inspection.' })
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class NonConformance {
  @Field(() => ID) id!: string;
  @Field(() => String) number!: string;
  @Field(() => String) description!: string;
  @Field(() => NonConformanceStatusEnum) status!: NonConformanceStatus;
  @Field(() => Date) openedAt!: Date;
  /** Resolved by NonConformanceResolver (inspection, workOrder, lot). */
  inspectionId!: string;
  workOrderId!: string;
  lotNumber!: string | null;

  static from(record: NonConformanceRecord): NonConformance {
    return Object.assign(new NonConformance(), {
      id: record.id,
      number: record.number,
      description: record.description,
      status: record.status,
      openedAt: toDate(record.openedAt),
      inspectionId: record.inspectionId,
      workOrderId: record.workOrderId,
      lotNumber: record.lotNumber,
    });
  }
}

@ObjectType()
export class NonConformanceConnection extends Connection(NonConformance, 'NonConformance') {}

@InputType('NonConformanceFilter', { description: 'All given fields must match.' })
export class NonConformanceFilterInput {
  @Field(() => NonConformanceStatusEnum, { nullable: true }) status?: NonConformanceStatus | null;
  @Field(() => ID, { nullable: true }) workOrderId?: string | null;
}
