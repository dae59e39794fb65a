import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { InvoiceRecord, InvoiceStatus } from '../backend/erp-backend';
import { InvoiceStatusEnum } from './invoice-status';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'A bill for a sales order (ERPNext Sales Invoice).' })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.FINANCE_READ))
export class Invoice {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's own Sales Invoice name." })
  erpReference!: string;

  @Field(() => String)
  number!: string;

  /** Resolves `salesOrder`. */
  salesOrderId!: string;

  @Field(() => Float, { description: 'Grand total, in `currency`.' })
  amount!: number;

  @Field(() => String, { description: 'ISO 4217 code.' })
  currency!: string;

  @Field(() => InvoiceStatusEnum)
  status!: InvoiceStatus;

  @Field(() => Date)
  issuedAt!: Date;

  @Field(() => Date, { description: 'Payment due date.' })
  dueAt!: Date;

  static fromRecord(record: InvoiceRecord): Invoice {
    return Object.assign(new Invoice(), {
      ...record,
      issuedAt: new Date(record.issuedAt),
      dueAt: new Date(record.dueAt),
    });
  }
}

@ObjectType()
export class InvoiceConnection extends Connection(Invoice, 'Invoice') {}
