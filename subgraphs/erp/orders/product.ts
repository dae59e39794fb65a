import { Directive, Field, Float, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { ProductRecord } from '../backend/erp-backend';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'An item we sell, make or buy (ERPNext Item), keyed by its SKU.', simpleResolvers: true })
@Directive('@key(fields: "sku")')
@Directive(requiresScopes(Scope.ORDERS_READ))
export class Product {
  @Field(() => String)
  sku!: string;

  @Field(() => String, { description: "The ERP's own item code." })
  erpReference!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Unit every quantity of this product is counted in, e.g. Nos or kg.' })
  unitOfMeasure!: string;

  @Field(() => Float, { description: 'Default selling price per unit, in `currency`.' })
  listPrice!: number;

  @Directive(requiresScopes(Scope.FINANCE_READ))
  @Field(() => Float, { description: 'Valuation per unit, in `currency`: what a unit costs us to make or buy.' })
  standardCost!: number;

  @Field(() => String, { description: 'ISO 4217 code of listPrice and standardCost.' })
  currency!: string;

  @Field(() => Float, { description: 'Stock on hand across warehouses.' })
  onHand!: number;

  @Field(() => Float, { description: 'Stock level at or below which the product should be replenished.' })
  reorderPoint!: number;

  static fromRecord(record: ProductRecord): Product {
    return Object.assign(new Product(), record);
  }
}

@ObjectType()
export class ProductConnection extends Connection(Product, 'Product') {}
