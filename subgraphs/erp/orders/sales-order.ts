import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { SalesOrderLineRecord, SalesOrderRecord, SalesOrderStatus } from '../backend/erp-backend';
import { sumAmounts } from '../money';
import { OrderLine } from './order-line';
import { SalesOrderStatusEnum } from './sales-order-status';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'One product line of a sales order; `product` is resolved by SalesOrderLineResolver.' })
export class SalesOrderLine extends OrderLine {
  static fromRecord(record: SalesOrderLineRecord): SalesOrderLine {
    return Object.assign(new SalesOrderLine(), record);
  }
}

@ObjectType({ description: 'A customer order (ERPNext Sales Order).' })
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

  @Field(() => SalesOrderStatusEnum)
  status!: SalesOrderStatus;

  @Field(() => Date)
  orderedAt!: Date;

  @Field(() => Date, { description: 'Date the customer expects delivery.' })
  dueDate!: Date;

  @Field(() => String, { description: 'ISO 4217 code of every price and amount on the order.' })
  currency!: string;

  @Field(() => [SalesOrderLine])
  lines!: SalesOrderLine[];

  @Field(() => Float, { description: 'Sum of the line amounts, in `currency`.' })
  get total(): number {
    return sumAmounts(this.lines.map((line) => line.amount));
  }

  static fromRecord(record: SalesOrderRecord): SalesOrder {
    return Object.assign(new SalesOrder(), {
      ...record,
      orderedAt: new Date(record.orderedAt),
      dueDate: new Date(record.dueDate),
      lines: record.lines.map(SalesOrderLine.fromRecord),
    });
  }
}

@ObjectType()
export class SalesOrderConnection extends Connection(SalesOrder, 'SalesOrder') {}
