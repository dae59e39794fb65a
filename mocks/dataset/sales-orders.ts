import type { CustomerRecord, ProductRecord, SalesOrderRecord, SalesOrderStatus } from '../../subgraphs/erp/backend/erp-backend';
import { COUNTRIES } from './catalog';
import { pad, widthFor, YearlySeries } from './ids';
import type { Random } from './random';
import { DAY, HOUR, iso } from './time';
import { linesTotal, roundToCents } from '../../subgraphs/erp/money';

/** Orders are placed over this many days before the anchor; the oldest are closed, the newest still drafts. */
export const ORDER_HISTORY_DAYS = 120;
const CANCELLED_SHARE = 0.04;

/** Upper bounds of the order-age fraction (0 = oldest) for each lifecycle stage. */
const STATUS_BANDS: readonly (readonly [number, SalesOrderStatus])[] = [
  [0.3, 'CLOSED'],
  [0.45, 'INVOICED'],
  [0.57, 'SHIPPED'],
  [0.8, 'IN_PRODUCTION'],
  [0.91, 'CONFIRMED'],
  [Infinity, 'DRAFT'],
];


export function generateSalesOrders(
  rng: Random,
  scale: number,
  anchorMs: number,
  customers: readonly CustomerRecord[],
  finishedGoods: readonly ProductRecord[],
): SalesOrderRecord[] {
  const start = anchorMs - ORDER_HISTORY_DAYS * DAY;
  const orderedAt = Array.from({ length: scale }, () => Math.round(rng.float(start, anchorMs - 2 * HOUR) / 1000) * 1000);
  orderedAt.sort((a, b) => a - b);

  const width = widthFor(scale, 6);
  const references = new YearlySeries('SAL-ORD');
  const numbers = new YearlySeries('SO');
  const orders = orderedAt.map((at, i): SalesOrderRecord => {
    // Skewed towards the first customers: a few key accounts place most orders, as in real order books.
    const customer = customers[Math.floor(customers.length * rng.next() ** 1.6)]!;
    const country = COUNTRIES.find((c) => c.code === customer.country)!;
    const age = i / scale + rng.float(-0.04, 0.04);
    return {
      id: `SO-${pad(i + 1, width)}`,
      erpReference: references.next(at),
      number: numbers.next(at),
      customerId: customer.id,
      status: rng.chance(CANCELLED_SHARE) ? 'CANCELLED' : STATUS_BANDS.find(([upper]) => age < upper)![1],
      orderedAt: iso(at),
      dueDate: iso(at + rng.int(14, 45) * DAY),
      currency: customer.currency,
      lines: rng.sample(finishedGoods, rng.int(1, Math.min(3, finishedGoods.length))).map((product, index) => ({
        lineNo: index + 1,
        sku: product.sku,
        quantity: rng.int(1, 60) * 5,
        unitPrice: roundToCents(product.listPrice * country.rate * rng.float(0.88, 1)),
      })),
    };
  });
  ensureSomeCancelled(orders);
  return orders;
}

/** Small worlds still show a cancellation, so every status path has data once there are enough orders. */
function ensureSomeCancelled(orders: SalesOrderRecord[]): void {
  if (orders.length < 7 || orders.some((order) => order.status === 'CANCELLED')) return;
  orders[Math.floor(orders.length / 2)]!.status = 'CANCELLED';
}

/** The ERP subgraph's own rule (money.ts), so seeded totals equal the graph's exactly. */
export const orderTotal = (order: SalesOrderRecord): number => linesTotal(order.lines);
