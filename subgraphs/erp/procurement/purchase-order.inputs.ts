import { Field, Float, ID, InputType } from 'type-graphql';
import type { PurchaseOrderStatus } from '../backend/erp-backend';
import { PurchaseOrderStatusEnum } from './purchase-order-status';

@InputType('PurchaseOrderFilter')
export class PurchaseOrderFilterInput {
  @Field(() => PurchaseOrderStatusEnum, { nullable: true })
  status?: PurchaseOrderStatus | null;

  @Field(() => ID, { nullable: true })
  supplierId?: string | null;
}

@InputType('PurchaseOrderLineInput')
export class PurchaseOrderLineInput {
  @Field(() => String)
  sku!: string;

  @Field(() => Float, { description: "In the product's unit of measure; must be positive." })
  quantity!: number;

  @Field(() => Float, { nullable: true, description: "Defaults to the product's standardCost (same currency only)." })
  unitPrice?: number | null;
}

@InputType('CreatePurchaseOrderInput')
export class CreatePurchaseOrderInput {
  @Field(() => ID)
  supplierId!: string;

  @Field(() => Date, { description: 'Expected delivery; must not be in the past.' })
  expectedAt!: Date;

  @Field(() => String, {
    nullable: true,
    description: 'ISO 4217 code; defaults to the currency the ordered products are priced in, when they agree.',
  })
  currency?: string | null;

  @Field(() => [PurchaseOrderLineInput])
  lines!: PurchaseOrderLineInput[];

  @Field(() => String, {
    nullable: true,
    description: 'Retrying with the same key returns the order the first attempt created instead of a second one.',
  })
  idempotencyKey?: string | null;
}
