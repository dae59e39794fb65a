import { Directive, Field, ID, ObjectType } from 'type-graphql';
import { Connection } from '../../common/connection';
import type { SupplierRecord } from '../backend/erp-backend';
import { Scope, requiresScopes } from '../../common/scopes';

@ObjectType({ description: 'A party we buy from (ERPNext Supplier).' })
@Directive('@key(fields: "id")')
@Directive(requiresScopes(Scope.PROCUREMENT_READ))
export class Supplier {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: "The ERP's own record name." })
  erpReference!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'ISO 3166-1 alpha-2 country code.' })
  country!: string;

  static fromRecord(record: SupplierRecord): Supplier {
    return Object.assign(new Supplier(), record);
  }
}

@ObjectType()
export class SupplierConnection extends Connection(Supplier, 'Supplier') {}
