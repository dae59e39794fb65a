import { Directive, Field, ID, InputType, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { WorkOrderRecord, WorkOrderStatus } from '../backend/mes-backend';
import { toDate, toOptionalDate } from '../dates';
import { WorkOrderStatusEnum } from '../enums';
import { Operation } from './operation.type';
import { Product } from './product.type';
import { SalesOrder } from './sales-order.type';
import { Scope, requiresScopes } from '../../common/scopes';

/**
 * The ERP extends this type with plannedCost/actualCost, requiring `product { sku } quantityPlanned
 * quantityGood quantityScrap`: keep those names and types.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: "An order to make a quantity of one product for one sales order (ISA-95 operations request).", simpleResolvers: true })
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class WorkOrder {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'The ERP record name, e.g. MFG-WO-2026-00001.' }) erpReference!: string;
  @Field(() => String) number!: string;
  @Field(() => SalesOrder, { nullable: true, description: 'Owned by the ERP: null if it cannot be reached.' }) salesOrder!: SalesOrder;
  @Field(() => Product, { nullable: true, description: 'Owned by the ERP: null if it cannot be reached.' }) product!: Product;
  @Field(() => Int) quantityPlanned!: number;
  @Field(() => Int) quantityGood!: number;
  @Field(() => Int) quantityScrap!: number;
  @Field(() => WorkOrderStatusEnum) status!: WorkOrderStatus;
  @Field(() => Date) scheduledStart!: Date;
  @Field(() => Date) scheduledEnd!: Date;
  @Field(() => Date, { nullable: true }) actualStart!: Date | null;
  @Field(() => Date, { nullable: true }) actualEnd!: Date | null;
  @Field(() => [Operation], { description: 'Routing steps in sequence order.' }) operations!: Operation[];

  static from(record: WorkOrderRecord): WorkOrder {
    return Object.assign(new WorkOrder(), {
      id: record.id,
      erpReference: record.erpReference,
      number: record.number,
      salesOrder: SalesOrder.reference(record.salesOrderId),
      product: Product.reference(record.sku),
      quantityPlanned: record.quantityPlanned,
      quantityGood: record.quantityGood,
      quantityScrap: record.quantityScrap,
      status: record.status,
      scheduledStart: toDate(record.scheduledStart),
      scheduledEnd: toDate(record.scheduledEnd),
      actualStart: toOptionalDate(record.actualStart),
      actualEnd: toOptionalDate(record.actualEnd),
      operations: [...record.operations].sort((a, b) => a.sequence - b.sequence).map(Operation.from),
    });
  }
}

@ObjectType()
export class WorkOrderConnection extends Connection(WorkOrder, 'WorkOrder') {}

@InputType('WorkOrderFilter', { description: 'All given fields must match.' })
export class WorkOrderFilterInput {
  @Field(() => WorkOrderStatusEnum, { nullable: true }) status?: WorkOrderStatus | null;
  @Field(() => ID, { nullable: true }) salesOrderId?: string | null;
  @Field(() => String, { nullable: true }) sku?: string | null;
  @Field(() => ID, { nullable: true, description: 'Work orders with an operation on this machine.' })
  machineId?: string | null;
}
