import { badUserInput, notFound } from '../common/errors';
import type { ProductRecord } from './backend/erp-backend';
import type { ErpLoaders } from './loaders';

/**
 * Validation shared by sales and purchase orders. Each check throws the first problem it finds as
 * BAD_USER_INPUT naming the input path (`input.lines[1].sku`), so a client form can point at the field.
 */
export interface OrderLineInput {
  sku: string;
  quantity: number;
  unitPrice?: number | null;
}

export interface PricedLine {
  sku: string;
  quantity: number;
  unitPrice: number;
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/** Checks that need no lookup, run first so a malformed request costs no backend call. */
export function checkLineShapes(lines: readonly OrderLineInput[]): void {
  if (lines.length === 0) throw badUserInput('an order needs at least one line', 'input.lines');
  lines.forEach((line, i) => {
    if (line.sku.trim() === '') throw badUserInput('sku must not be empty', `input.lines[${i}].sku`);
    if (!(Number.isFinite(line.quantity) && line.quantity > 0)) {
      throw badUserInput(`quantity must be positive, got ${line.quantity}`, `input.lines[${i}].quantity`);
    }
    if (line.unitPrice != null && !(Number.isFinite(line.unitPrice) && line.unitPrice >= 0)) {
      throw badUserInput(`unitPrice must not be negative, got ${line.unitPrice}`, `input.lines[${i}].unitPrice`);
    }
  });
}

export function checkCurrencyCode(currency: string, field: string): void {
  if (!CURRENCY_CODE.test(currency)) {
    throw badUserInput(`"${currency}" is not an ISO 4217 currency code (three capital letters)`, field);
  }
}

export function checkNotInPast(date: Date, now: Date, field: string): void {
  if (date.getTime() < now.getTime()) {
    throw badUserInput(`${date.toISOString()} is in the past (now is ${now.toISOString()})`, field);
  }
}

/** The product of every line, through the request's loader: one backend call for all lines. */
export function loadLineProducts(loaders: ErpLoaders, lines: readonly OrderLineInput[]): Promise<(ProductRecord | null)[]> {
  return Promise.all(lines.map((line) => loaders.products.load(line.sku)));
}

/**
 * Lines ready for the backend: every product known, every price set. A price left out defaults to
 * `defaultPrice(product)`, which is only meaningful when the product is priced in the order's currency.
 */
export function priceLines(
  lines: readonly OrderLineInput[],
  products: readonly (ProductRecord | null)[],
  currency: string,
  defaultPrice: (product: ProductRecord) => number,
): PricedLine[] {
  return lines.map((line, i) => {
    const product = products[i];
    if (!product) throw notFound('product', line.sku, `input.lines[${i}].sku`);
    if (line.unitPrice != null) return { sku: product.sku, quantity: line.quantity, unitPrice: line.unitPrice };
    if (product.currency !== currency) {
      throw badUserInput(
        `${product.sku} is priced in ${product.currency} but the order is in ${currency}: give a unitPrice`,
        `input.lines[${i}].unitPrice`,
      );
    }
    return { sku: product.sku, quantity: line.quantity, unitPrice: defaultPrice(product) };
  });
}

export function checkIdempotencyKey(key: string | null | undefined): string | undefined {
  if (key == null) return undefined;
  if (key.trim() === '') throw badUserInput('idempotencyKey must not be empty when given', 'input.idempotencyKey');
  return key;
}
