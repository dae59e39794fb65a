import { Field, ID, InputType } from 'type-graphql';
import type { InvoiceStatus } from '../backend/erp-backend';
import { InvoiceStatusEnum } from './invoice-status';

@InputType('InvoiceFilter')
export class InvoiceFilterInput {
  @Field(() => InvoiceStatusEnum, { nullable: true })
  status?: InvoiceStatus | null;

  @Field(() => ID, { nullable: true })
  salesOrderId?: string | null;
}
