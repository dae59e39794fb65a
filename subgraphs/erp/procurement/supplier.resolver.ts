import { Arg, Args, Ctx, ID, Query, Resolver, Directive } from 'type-graphql';
import { type ConnectionShape, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { primeAll } from '../loaders';
import { Supplier, SupplierConnection } from './supplier';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => Supplier)
export class SupplierResolver {
  @Query(() => Supplier, { nullable: true })
  async supplier(@Arg('id', () => ID) id: string, @Ctx() { loaders }: ErpContext): Promise<Supplier | null> {
    const record = await loaders.suppliers.load(id);
    return record && Supplier.fromRecord(record);
  }

  // The connection's totalCount and pageInfo are not of type Supplier: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PROCUREMENT_READ))
  @Query(() => SupplierConnection)
  suppliers(@Args(() => PageArgs) pageArgs: PageArgs, @Ctx() { backend, loaders }: ErpContext): Promise<ConnectionShape<Supplier>> {
    return listConnection(
      pageArgs,
      (page) => backend.listSuppliers(page),
      (records) => primeAll(loaders.suppliers, records, (s) => s.id),
      Supplier.fromRecord,
    );
  }
}
