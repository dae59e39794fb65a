import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ErpContext } from '../context';
import { danglingReference } from '../integrity';
import { Product } from './product';
import { SalesOrderLine } from './sales-order';

@Resolver(() => SalesOrderLine)
export class SalesOrderLineResolver {
  @FieldResolver(() => Product)
  async product(@Root() line: SalesOrderLine, @Ctx() { loaders }: ErpContext): Promise<Product> {
    const record = await loaders.products.load(line.sku);
    if (!record) throw danglingReference(`sales order line ${line.lineNo}`, `product ${line.sku}`);
    return Product.fromRecord(record);
  }
}
