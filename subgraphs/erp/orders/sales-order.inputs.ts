import { Field, Float, ID, InputType } from 'type-graphql';
import type { SalesOrderFilter, SalesOrderStatus } from '../backend/erp-backend';
import { SalesOrderStatusEnum } from './sales-order-status';

@InputType('SalesOrderFilter')
export class SalesOrderFilterInput {
  @Field(() => SalesOrderStatusEnum, { nullable: true })
  status?: SalesOrderStatus | null;

  @Field(() => ID, { nullable: true })
  customerId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Only orders due before this instant.' })
  dueBefore?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Only orders due after this instant.' })
  dueAfter?: Date | null;
}

export function toSalesOrderFilter(input: SalesOrderFilterInput | null | undefined): SalesOrderFilter {
  const filter: SalesOrderFilter = {};
  if (input?.status) filter.status = input.status;
  if (input?.customerId) filter.customerId = input.customerId;
  if (input?.dueBefore) filter.dueBefore = input.dueBefore.toISOString();
  if (input?.dueAfter) filter.dueAfter = input.dueAfter.toISOString();
  return filter;
}

@InputType('SalesOrderLineInput')
export class SalesOrderLineInput {
  @Field(() => String)
  sku!: string;

  @Field(() => Float, { description: "In the product's unit of measure; must be positive." })
  quantity!: number;

  @Field(() => Float, { nullable: true, description: "Defaults to the product's listPrice (same currency only)." })
  unitPrice?: number | null;
}

@InputType('CreateSalesOrderInput')
export class CreateSalesOrderInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Date, { description: 'Requested delivery; must not be in the past.' })
  dueDate!: Date;

  @Field(() => String, { nullable: true, description: "ISO 4217 code; defaults to the customer's currency." })
  currency?: string | null;

  @Field(() => [SalesOrderLineInput])
  lines!: SalesOrderLineInput[];

  @Field(() => String, {
    nullable: true,
    description: 'Retrying with the same key returns the order the first attempt created instead of a second one.',
  })
  idempotencyKey?: string | null;
}
