import type { ProductRecord, PurchaseOrderRecord, PurchaseOrderStatus, SupplierRecord } from '../../subgraphs/erp/backend/erp-backend';
import { COMPANY_CURRENCY } from './catalog';
import { pad, widthFor, YearlySeries } from './ids';
import type { Random } from './random';
import { DAY, HOUR, iso } from './time';
import { roundToCents } from '../../subgraphs/erp/money';

export const purchaseOrderCount = (scale: number) => Math.max(3, Math.round(scale / 10));
const HISTORY_DAYS = 120;


/** Replenishment of raw materials from each material's supplier; old orders are received, new ones open. */
export function generatePurchaseOrders(
  rng: Random,
  scale: number,
  anchorMs: number,
  suppliers: readonly SupplierRecord[],
  rawMaterials: readonly ProductRecord[],
  supplierOf: ReadonlyMap<string, string>,
): PurchaseOrderRecord[] {
  const count = purchaseOrderCount(scale);
  const orderedAt = Array.from({ length: count }, () => Math.round(rng.float(anchorMs - HISTORY_DAYS * DAY, anchorMs - HOUR) / 1000) * 1000);
  orderedAt.sort((a, b) => a - b);
  const width = widthFor(count, 6);
  const references = new YearlySeries('PUR-ORD');
  const numbers = new YearlySeries('PO');

  return orderedAt.map((at, i): PurchaseOrderRecord => {
    const supplier = rng.pick(suppliers);
    const materials = rawMaterials.filter((m) => supplierOf.get(m.sku) === supplier.id);
    const age = i / count + rng.float(-0.05, 0.05);
    const status: PurchaseOrderStatus = rng.chance(0.04) ? 'CANCELLED' : age < 0.75 ? 'RECEIVED' : age < 0.92 ? 'SUBMITTED' : 'DRAFT';
    return {
      id: `PO-${pad(i + 1, width)}`,
      erpReference: references.next(at),
      number: numbers.next(at),
      supplierId: supplier.id,
      status,
      orderedAt: iso(at),
      expectedAt: iso(at + rng.int(7, 21) * DAY),
      currency: COMPANY_CURRENCY,
      lines: rng.sample(materials, rng.int(1, Math.min(3, materials.length))).map((material, index) => ({
        lineNo: index + 1,
        sku: material.sku,
        quantity: material.unitOfMeasure === 'Nos' ? rng.int(10, 200) * 50 : rng.int(5, 100) * 100,
        unitPrice: roundToCents(material.standardCost * rng.float(0.95, 1.05)),
      })),
    };
  });
}
