import { ArgsType, Field, ID, Int, ObjectType } from 'type-graphql';
import type { ProductionReportRecord } from '../backend/mes-backend';
import { toDate } from '../dates';
import type { ReportProductionRequest } from './report-production';
import { WorkOrder } from './work-order.type';

@ObjectType({ description: 'Good and scrap quantities reported against a work order (ISA-95 operations performance).' })
export class ProductionReport {
  @Field(() => ID) id!: string;
  @Field(() => String) idempotencyKey!: string;
  @Field(() => Int) good!: number;
  @Field(() => Int) scrap!: number;
  @Field(() => Date) at!: Date;
  /** Resolved by ProductionReportResolver. */
  workOrderId!: string;
  machineId!: string | null;

  static from(record: ProductionReportRecord): ProductionReport {
    return Object.assign(new ProductionReport(), {
      id: record.id,
      idempotencyKey: record.idempotencyKey,
      good: record.good,
      scrap: record.scrap,
      at: toDate(record.at),
      workOrderId: record.workOrderId,
      machineId: record.machineId,
    });
  }
}

@ObjectType()
export class ReportProductionPayload {
  @Field(() => ProductionReport) report!: ProductionReport;
  @Field(() => WorkOrder, { description: 'The work order after the report.' }) workOrder!: WorkOrder;
  @Field(() => Boolean, { description: 'True when this idempotency key was already used: nothing was counted again.' })
  duplicate!: boolean;
}

@ArgsType()
export class ReportProductionArgs implements ReportProductionRequest {
  @Field(() => ID) workOrderId!: string;
  @Field(() => Int, { description: 'Good units made since the last report, ≥ 0.' }) good!: number;
  @Field(() => Int, { description: 'Scrapped units since the last report, ≥ 0; not both zero.' }) scrap!: number;
  @Field(() => String, { description: 'Chosen by the client, unique per report; a retry reuses it.' })
  idempotencyKey!: string;
}
