import { badUserInput, notFound } from '../../common/errors';
import type { NewPurchaseOrder, ProductRecord } from '../backend/erp-backend';
import type { ErpContext } from '../context';
import { checkCurrencyCode, checkLineShapes, checkNotInPast, loadLineProducts, priceLines } from '../order-lines';
import type { CreatePurchaseOrderInput } from './purchase-order.inputs';

/** Everything is checked before the backend sees a write, through the request's loaders. */
export async function validateNewPurchaseOrder(
  input: CreatePurchaseOrderInput,
  { loaders, clock }: ErpContext,
): Promise<NewPurchaseOrder> {
  checkLineShapes(input.lines);
  checkNotInPast(input.expectedAt, clock(), 'input.expectedAt');
  if (input.currency != null) checkCurrencyCode(input.currency, 'input.currency');

  const [supplier, products] = await Promise.all([
    loaders.suppliers.load(input.supplierId),
    loadLineProducts(loaders, input.lines),
  ]);
  if (!supplier) throw notFound('supplier', input.supplierId, 'input.supplierId');

  const currency = input.currency ?? productCurrency(products);
  return {
    supplierId: supplier.id,
    expectedAt: input.expectedAt.toISOString(),
    currency,
    lines: priceLines(input.lines, products, currency, (product) => product.standardCost),
  };
}

/**
 * A supplier record carries no currency, so an order without one is in the currency its products are
 * valued in; unknown products are left for priceLines to report against their own line.
 */
function productCurrency(products: readonly (ProductRecord | null)[]): string {
  const currencies = [...new Set(products.flatMap((product) => (product ? [product.currency] : [])))];
  if (currencies.length > 1) {
    throw badUserInput(`the products are valued in ${currencies.join(' and ')}: give a currency`, 'input.currency');
  }
  return currencies[0] ?? '';
}
