import { Directive, Field, Float, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { CustomerRecord } from '../backend/erp-backend';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'A party that buys from us (ERPNext Customer).', simpleResolvers: true })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.ORDERS_READ))
export class Customer {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's own record name, e.g. CUST-00001." })
  erpReference!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;

  @Directive(requiresScopes(Scope.FINANCE_READ))
  @Field(() => Float, { description: 'Credit the customer may run up, in its currency.' })
  creditLimit!: number;

  @Field(() => String, { description: 'ISO 4217 code the customer is billed in; new orders default to it.' })
  currency!: string;

  static fromRecord(record: CustomerRecord): Customer {
    return Object.assign(new Customer(), record);
  }
}

@ObjectType()
export class CustomerConnection extends Connection(Customer, 'Customer') {}
