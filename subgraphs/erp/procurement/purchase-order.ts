import { Directive, Field, Float, ID, Int, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { PurchaseOrderLineRecord, PurchaseOrderRecord, PurchaseOrderStatus } from '../backend/erp-backend';
import { sumAmounts } from '../money';
import { OrderLine } from '../orders/order-line';
import { PurchaseOrderStatusEnum } from './purchase-order-status';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'One product line of a purchase order; `product` is resolved by PurchaseOrderLineResolver.' })
export class PurchaseOrderLine extends OrderLine {
  static fromRecord(record: PurchaseOrderLineRecord): PurchaseOrderLine {
    return Object.assign(new PurchaseOrderLine(), record);
  }
}

@ObjectType({ description: 'An order placed with a supplier (ERPNext Purchase Order).' })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.PROCUREMENT_READ))
export class PurchaseOrder {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's own record name." })
  erpReference!: string;

  @Field(() => String)
  number!: string;

  /** Resolves `supplier`. */
  supplierId!: string;

  @Field(() => PurchaseOrderStatusEnum)
  status!: PurchaseOrderStatus;

  @Field(() => Date)
  orderedAt!: Date;

  @Field(() => Date, { description: 'When the supplier is expected to deliver.' })
  expectedAt!: Date;

  @Field(() => String, { description: 'ISO 4217 code of every price and amount on the order.' })
  currency!: string;

  @Field(() => [PurchaseOrderLine])
  lines!: PurchaseOrderLine[];

  @Field(() => Float, { description: 'Sum of the line amounts, in `currency`.' })
  get total(): number {
    return sumAmounts(this.lines.map((line) => line.amount));
  }

  static fromRecord(record: PurchaseOrderRecord): PurchaseOrder {
    return Object.assign(new PurchaseOrder(), {
      ...record,
      orderedAt: new Date(record.orderedAt),
      expectedAt: new Date(record.expectedAt),
      lines: record.lines.map(PurchaseOrderLine.fromRecord),
    });
  }
}

@ObjectType()
export class PurchaseOrderConnection extends Connection(PurchaseOrder, 'PurchaseOrder') {}
