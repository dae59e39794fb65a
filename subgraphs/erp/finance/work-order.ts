import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Product } from '../orders/product';
import { Scope, requiresScopes } from '../../common/scopes';

/**
 * A work order, owned by the MES. ERP prices it: the gateway hands over the MES fields the cost needs
 * (@external, pulled in by @requires) in the entity representation, and ERP multiplies by its standard cost.
 * Field names and types mirror the MES definition exactly, as composition demands.
 */
@ObjectType({ description: 'A production order (owned by the MES); ERP adds its cost.' })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.PRODUCTION_READ))
export class WorkOrder {
  @Field(() => ID)
  id!: string;

  @Field(() => Product, { nullable: true })
  @Directive('@external')
  product!: Pick<Product, 'sku'> | null;

  @Field(() => Int)
  @Directive('@external')
  quantityPlanned!: number;

  @Field(() => Int)
  @Directive('@external')
  quantityGood!: number;

  @Field(() => Int)
  @Directive('@external')
  quantityScrap!: number;

  static fromRepresentation(representation: Partial<WorkOrder> & Pick<WorkOrder, 'id'>): WorkOrder {
    return Object.assign(new WorkOrder(), representation);
  }
}
