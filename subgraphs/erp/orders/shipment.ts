import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import type { ShipmentRecord, ShippedLotRecord } from '../backend/erp-backend';
import { MaterialLot } from './material-lot';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'A quantity of one lot that left on a shipment.', simpleResolvers: true })
export class ShippedLot {
  @Field(() => String)
  lotNumber!: string;

  @Field(() => Float)
  quantity!: number;

  @Field(() => MaterialLot, { nullable: true, description: 'The lot itself, with its genealogy from the MES.' })
  get lot(): MaterialLot {
    return MaterialLot.of(this.lotNumber);
  }

  static fromRecord(record: ShippedLotRecord): ShippedLot {
    return Object.assign(new ShippedLot(), record);
  }
}

@ObjectType({ description: 'Goods delivered against a sales order (ERPNext Delivery Note).', simpleResolvers: true })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.ORDERS_READ))
export class Shipment {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's own Delivery Note name." })
  erpReference!: string;

  /** Resolves `salesOrder`. */
  salesOrderId!: string;

  @Field(() => Date)
  shippedAt!: Date;

  @Field(() => [ShippedLot], { description: 'Lots shipped and how much of each: the ERP side of traceability.' })
  lots!: ShippedLot[];

  static fromRecord(record: ShipmentRecord): Shipment {
    return Object.assign(new Shipment(), {
      ...record,
      shippedAt: new Date(record.shippedAt),
      lots: record.lots.map(ShippedLot.fromRecord),
    });
  }
}
