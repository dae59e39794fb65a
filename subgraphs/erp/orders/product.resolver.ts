import { Arg, Args, Ctx, Query, Resolver } from 'type-graphql';
import { type ConnectionShape, withoutNulls, listConnection, PageArgs } from '../../common/connection';
import type { ErpContext } from '../context';
import { primeAll } from '../loaders';
import { Product, ProductConnection } from './product';
import { ProductFilterInput } from './product.inputs';

@Resolver(() => Product)
export class ProductResolver {
  @Query(() => Product, { nullable: true })
  async product(@Arg('sku', () => String) sku: string, @Ctx() { loaders }: ErpContext): Promise<Product | null> {
    const record = await loaders.products.load(sku);
    return record && Product.fromRecord(record);
  }

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
