import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { CustomerRecord, SalesOrderLineRecord, SalesOrderRecord, SalesOrderStatus } from '../backend/erp-backend';
import { linesTotal } from '../money';
import { OrderLine } from './order-line';
import { SalesOrderStatusEnum } from './sales-order-status';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'One product line of a sales order; `product` is resolved by SalesOrderLineResolver.', simpleResolvers: true })
export class SalesOrderLine extends OrderLine {
  static fromRecord(record: SalesOrderLineRecord): SalesOrderLine {
    return Object.assign(new SalesOrderLine(), record);
  }
}

@ObjectType({ description: 'A customer order (ERPNext Sales Order).', simpleResolvers: true })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.ORDERS_READ))
export class SalesOrder {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's own record name, e.g. SAL-ORD-2026-00001." })
  erpReference!: string;

  @Field(() => String, { description: 'The order number printed on documents.' })
  number!: string;

  /** Resolves `customer`. */
  customerId!: string;

  /** The customer's record when a list read it ahead for its whole page (see SalesOrderResolver.salesOrders). */
  customerRecord?: CustomerRecord | null;

  @Field(() => SalesOrderStatusEnum)
  status!: SalesOrderStatus;

  @Field(() => Date)
  orderedAt!: Date;

  @Field(() => Date, { description: 'Date the customer expects delivery.' })
  dueDate!: Date;

  @Field(() => String, { description: 'ISO 4217 code of every price and amount on the order.' })
  currency!: string;

  /** The record's lines: `lines` and `total` are derived from them when selected. */
  private lineRecords: readonly SalesOrderLineRecord[] = [];

  @Field(() => [SalesOrderLine])
  get lines(): SalesOrderLine[] {
    return this.lineRecords.map(SalesOrderLine.fromRecord);
  }

  @Field(() => Float, { description: 'Sum of the line amounts, in `currency`.' })
  get total(): number {
    return linesTotal(this.lineRecords);
  }

  // Field by field rather than spreading the record: a page builds hundreds of these per request.
  static fromRecord(record: SalesOrderRecord): SalesOrder {
    const order = new SalesOrder();
    order.id = record.id;
    order.erpReference = record.erpReference;
    order.number = record.number;
    order.customerId = record.customerId;
    order.status = record.status;
    order.orderedAt = new Date(record.orderedAt);
    order.dueDate = new Date(record.dueDate);
    order.currency = record.currency;
    order.lineRecords = record.lines;
    return order;
  }
}

@ObjectType()
export class SalesOrderConnection extends Connection(SalesOrder, 'SalesOrder') {}
