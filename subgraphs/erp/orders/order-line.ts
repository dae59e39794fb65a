import { Field, Float, Int, ObjectType } from 'type-graphql';
import { lineAmount } from '../money';

/**
 * What sales and purchase order lines share. Never exposed itself (no resolver returns it); each order
 * type extends it so the two line types stay alike field for field.
 */
@ObjectType()
export abstract class OrderLine {
  @Field(() => Int)
  lineNo!: number;

  /** Resolves `product`; not a field of its own. */
  sku!: string;

  @Field(() => Float, { description: "In the product's unit of measure." })
  quantity!: number;

  @Field(() => Float, { description: 'Price per unit in the order currency.' })
  unitPrice!: number;

  @Field(() => Float, { description: 'quantity × unitPrice, rounded to cents.' })
  get amount(): number {
    return lineAmount(this.quantity, this.unitPrice);
  }
}
