import { Directive, Field, Float, InputType, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { MaterialLotRecord } from '../backend/mes-backend';
import { toDate } from '../dates';
import { Product } from './product.type';
import { Scope, requiresScopes } from '../../common/scopes';

/** The ERP extends this type with `shipments`, the second half of a recall query. */
@Directive('@key(fields: "lotNumber")')
@ObjectType({ description: 'A traceable quantity of one product: purchased raw material or a work order output.', simpleResolvers: true })
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class MaterialLot {
  @Field(() => String) lotNumber!: string;
  @Field(() => Product, { nullable: true, description: 'Owned by the ERP: null if it cannot be reached.' }) product!: Product;
  @Field(() => Float) quantity!: number;
  @Field(() => String) unitOfMeasure!: string;
  @Field(() => Date) createdAt!: Date;
  /** Resolved by MaterialLotResolver (producedBy, consumedBy, parents). */
  producedByWorkOrderId!: string | null;
  consumedByWorkOrderIds!: string[];
  parentLotNumbers!: string[];

  static from(record: MaterialLotRecord): MaterialLot {
    return Object.assign(new MaterialLot(), {
      lotNumber: record.lotNumber,
      product: Product.reference(record.sku),
      quantity: record.quantity,
      unitOfMeasure: record.unitOfMeasure,
      createdAt: toDate(record.createdAt),
      producedByWorkOrderId: record.producedByWorkOrderId,
      consumedByWorkOrderIds: record.consumedByWorkOrderIds,
      parentLotNumbers: record.parentLotNumbers,
    });
  }
}

@ObjectType()
export class MaterialLotConnection extends Connection(MaterialLot, 'MaterialLot') {}

@InputType('MaterialLotFilter')
export class MaterialLotFilterInput {
  @Field(() => String, { nullable: true }) sku?: string | null;
}
