import type { InvoiceRecord, InvoiceStatus, SalesOrderRecord, ShipmentRecord, ShippedLotRecord } from '../../subgraphs/erp/backend/erp-backend';
import type { MaterialLotRecord, WorkOrderRecord } from '../../subgraphs/mes/backend/mes-backend';
import { pad, widthFor, YearlySeries } from './ids';
import type { Random } from './random';
import { orderTotal } from './sales-orders';
import { DAY, HOUR, isoSeconds as iso, ms } from './time';

const SHIPPED = new Set(['SHIPPED', 'INVOICED', 'CLOSED']);
const INVOICED = new Set(['INVOICED', 'CLOSED']);
/** Payment terms offered to customers, in days. */
export const PAYMENT_TERMS_DAYS = [30, 60, 90] as const;

export interface Fulfilment {
  shipments: ShipmentRecord[];
  invoices: InvoiceRecord[];
}

/**
 * Delivery notes carry exactly the lots the order's own work orders produced, up to each line's quantity;
 * invoices bill the order total once it shipped.
 */
export function generateFulfilment(
  rng: Random,
  anchorMs: number,
  salesOrders: readonly SalesOrderRecord[],
  workOrders: readonly WorkOrderRecord[],
  outputLots: ReadonlyMap<string, MaterialLotRecord[]>,
): Fulfilment {
  const bySalesOrder = new Map<string, WorkOrderRecord[]>();
  for (const workOrder of workOrders) {
    const list = bySalesOrder.get(workOrder.salesOrderId) ?? [];
    list.push(workOrder);
    bySalesOrder.set(workOrder.salesOrderId, list);
  }
  const fulfilled = salesOrders.filter((order) => SHIPPED.has(order.status));
  const shipmentWidth = widthFor(fulfilled.length * 2, 6);
  const invoiceWidth = widthFor(fulfilled.length * 2, 6);
  const deliveryNotes = new YearlySeries('MAT-DN');
  const invoiceReferences = new YearlySeries('ACC-SINV');
  const invoiceNumbers = new YearlySeries('SINV');
  const latest = anchorMs - HOUR;
  const result: Fulfilment = { shipments: [], invoices: [] };

  const invoice = (order: SalesOrderRecord, status: InvoiceStatus, issuedAt: number, termsDays: number): InvoiceRecord => ({
    id: `INV-${pad(result.invoices.length + 1, invoiceWidth)}`,
    erpReference: invoiceReferences.next(issuedAt),
    number: invoiceNumbers.next(issuedAt),
    salesOrderId: order.id,
    amount: orderTotal(order),
    currency: order.currency,
    status,
    issuedAt: iso(issuedAt),
    dueAt: iso(issuedAt + termsDays * DAY),
  });

  for (const order of fulfilled) {
    const orderWorkOrders = bySalesOrder.get(order.id) ?? [];
    const shipped = allocate(orderWorkOrders, outputLots);
    if (shipped.length === 0) continue;
    const readyAt = Math.max(...orderWorkOrders.map((wo) => ms(wo.actualEnd!)));
    const split = shipped.length >= 2 && rng.chance(0.3) ? rng.int(1, shipped.length - 1) : shipped.length;
    let shippedAt = Math.min(latest, readyAt + rng.float(0.5, 2) * DAY);
    for (const lots of [shipped.slice(0, split), shipped.slice(split)]) {
      if (lots.length === 0) continue;
      result.shipments.push({
        id: `SHP-${pad(result.shipments.length + 1, shipmentWidth)}`,
        erpReference: deliveryNotes.next(shippedAt),
        salesOrderId: order.id,
        shippedAt: iso(shippedAt),
        lots,
      });
      shippedAt = Math.min(latest, shippedAt + rng.float(1, 5) * DAY);
    }
    const lastShipped = ms(result.shipments[result.shipments.length - 1]!.shippedAt);

    if (INVOICED.has(order.status)) {
      const issuedAt = Math.min(latest, lastShipped + rng.float(0, 3) * DAY);
      const terms = rng.pick(PAYMENT_TERMS_DAYS);
      // Now and then an invoice is cancelled and issued again, as accountants do with a wrong address.
      if (rng.chance(0.05)) result.invoices.push(invoice(order, 'CANCELLED', issuedAt - HOUR, terms));
      const overdue = issuedAt + terms * DAY < anchorMs;
      result.invoices.push(invoice(order, order.status === 'CLOSED' ? 'PAID' : overdue ? 'OVERDUE' : 'UNPAID', issuedAt, terms));
    } else if (rng.chance(0.3)) {
      result.invoices.push(invoice(order, 'DRAFT', Math.min(latest, lastShipped + HOUR), PAYMENT_TERMS_DAYS[0]));
    }
  }
  return result;
}

/** Takes each line's quantity from its work order's lots in booking order; surplus production stays in stock. */
function allocate(workOrders: readonly WorkOrderRecord[], outputLots: ReadonlyMap<string, MaterialLotRecord[]>): ShippedLotRecord[] {
  const shipped: ShippedLotRecord[] = [];
  for (const workOrder of workOrders) {
    let remaining = workOrder.quantityPlanned;
    for (const lot of outputLots.get(workOrder.id) ?? []) {
      const quantity = Math.min(lot.quantity, remaining);
      if (quantity <= 0) break;
      shipped.push({ lotNumber: lot.lotNumber, quantity });
      remaining -= quantity;
    }
  }
  return shipped;
}
