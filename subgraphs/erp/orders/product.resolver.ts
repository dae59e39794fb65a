import { Arg, Args, Ctx, Query, Resolver, Directive } from 'type-graphql';
import { type ConnectionShape, withoutNulls, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { primeAll } from '../loaders';
import { Product, ProductConnection } from './product';
import { ProductFilterInput } from './product.inputs';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true })
  async product(@Arg('sku', () => String) sku: string, @Ctx() { loaders }: ErpContext): Promise<Product | null> {
    const record = await loaders.products.load(sku);
    return record && Product.fromRecord(record);
  }

  // The connection's totalCount and pageInfo are not of type Product: the list field itself is protected too.
  @Directive(requiresScopes(Scope.ORDERS_READ))
  @Query(() => ProductConnection)
  products(
    @Arg('filter', () => ProductFilterInput, { nullable: true }) filter: ProductFilterInput | null,
    @Args(() => PageArgs) pageArgs: PageArgs,
    @Ctx() { backend, loaders }: ErpContext,
  ): Promise<ConnectionShape<Product>> {
    return listConnection(
      pageArgs,
      (page) => backend.listProducts(withoutNulls(filter), page),
      (records) => primeAll(loaders.products, records, (p) => p.sku),
      Product.fromRecord,
    );
  }
}
