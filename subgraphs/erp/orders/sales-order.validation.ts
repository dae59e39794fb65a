import type { NewSalesOrder } from '../backend/erp-backend';
import { notFound } from '../../common/errors';
import type { ErpContext } from '../context';
import { checkCurrencyCode, checkLineShapes, checkNotInPast, loadLineProducts, priceLines } from '../order-lines';
import type { CreateSalesOrderInput } from './sales-order.inputs';

/**
 * Everything is checked before the backend sees a write: a half-valid order is never created.
 * Lookups go through the request's loaders, so they batch and are reused by the response's field resolvers.
 */
export async function validateNewSalesOrder(input: CreateSalesOrderInput, { loaders, clock }: ErpContext): Promise<NewSalesOrder> {
  checkLineShapes(input.lines);
  checkNotInPast(input.dueDate, clock(), 'input.dueDate');
  if (input.currency != null) checkCurrencyCode(input.currency, 'input.currency');

  const [customer, products] = await Promise.all([
    loaders.customers.load(input.customerId),
    loadLineProducts(loaders, input.lines),
  ]);
  if (!customer) throw notFound('customer', input.customerId, 'input.customerId');

  const currency = input.currency ?? customer.currency;
  return {
    customerId: customer.id,
    dueDate: input.dueDate.toISOString(),
    currency,
    lines: priceLines(input.lines, products, currency, (product) => product.listPrice),
  };
}
