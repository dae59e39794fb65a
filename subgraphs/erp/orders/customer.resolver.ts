import { Arg, Args, Ctx, ID, Query, Resolver, Directive } from 'type-graphql';
import { type ConnectionShape, withoutNulls, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { primeAll } from '../loaders';
import { Customer, CustomerConnection } from './customer';
import { CustomerFilterInput } from './customer.inputs';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => Customer)
export class CustomerResolver {
  @Query(() => Customer, { nullable: true })
  async customer(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<Customer | null> {
    const record = await loaders.customers.load(id);
    return record && Customer.fromRecord(record);
  }

  // The connection's totalCount and pageInfo are not of type Customer: the list field itself is protected too.
  @Directive(requiresScopes(Scope.ORDERS_READ))
  @Query(() => CustomerConnection)
  customers(
    @Arg('filter', () => CustomerFilterInput, { nullable: true }) filter: CustomerFilterInput | null,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() { backend, loaders }: ErpContext,
  ): Promise<ConnectionShape<Customer>> {
    return listConnection(
      pageArgs,
      (page) => backend.listCustomers(withoutNulls(filter), page),
      (records) => primeAll(loaders.customers, records, (c) => c.id),
      Customer.fromRecord,
    );
  }
}
