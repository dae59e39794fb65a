import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { ErpContext } from '../context';
import { danglingReference } from '../integrity';
import { Product } from '../orders/product';
import { PurchaseOrderLine } from './purchase-order';

@Resolver(() => PurchaseOrderLine)
export class PurchaseOrderLineResolver {
  @FieldResolver(() => Product)
  async product(@Root() line: PurchaseOrderLine, @Ctx() { loaders }: ErpContext): Promise<Product> {
    const record = await loaders.products.load(line.sku);
    if (!record) throw danglingReference(`purchase order line ${line.lineNo}`, `product ${line.sku}`);
    return Product.fromRecord(record);
  }
}
