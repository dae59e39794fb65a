import { SALES_ORDER_STATUSES, type SalesOrderRecord } from '../../../subgraphs/erp/backend/erp-backend';
import type { WorkOrderRecord } from '../../../subgraphs/mes/backend/mes-backend';
import { generateWorld } from '../../../mocks/dataset';

const world = generateWorld({ seed: 42, scale: 300 });
const anchor = Date.parse(world.anchor);
const { customers, products, suppliers, salesOrders, shipments, invoices, purchaseOrders } = world.erp;
const t = Date.parse;

const groupBy = <T>(items: readonly T[], key: (item: T) => string) => {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
};
const unique = (values: readonly string[]) => new Set(values).size === values.length;
const total = (order: SalesOrderRecord) => Math.round(order.lines.reduce((s, l) => s + l.quantity * l.unitPrice, 0) * 100) / 100;

const customerById = new Map(customers.map((c) => [c.id, c]));
const productBySku = new Map(products.map((p) => [p.sku, p]));
const workOrdersByOrder = groupBy(world.mes.workOrders, (wo) => wo.salesOrderId);
const lotByNumber = new Map(world.mes.lots.map((l) => [l.lotNumber, l]));
const workOrderById = new Map(world.mes.workOrders.map((wo) => [wo.id, wo]));
const shipmentsByOrder = groupBy(shipments, (s) => s.salesOrderId);
const invoicesByOrder = groupBy(invoices, (i) => i.salesOrderId);

describe('ERP master data', () => {
  it('sizes customers from the order book and names them in ERPNext style', () => {
    expect(customers).toHaveLength(15);
    for (const c of customers) {
      expect(c.id).toMatch(/^C-\d{4,}$/);
      expect(c.erpReference).toMatch(/^CUST-\d{5,}$/);
      expect(c.country).toMatch(/^[A-Z]{2}$/);
      expect(c.creditLimit).toBeGreaterThan(0);
    }
    expect(unique(customers.map((c) => c.id)) && unique(customers.map((c) => c.name))).toBe(true);
  });

  it('has sold finished goods and purchased raw materials, a few dozen at most', () => {
    const finished = products.filter((p) => p.sku.startsWith('FG-'));
    const raw = products.filter((p) => p.sku.startsWith('RM-'));
    expect(finished.length).toBeGreaterThan(0);
    expect(raw.length).toBeGreaterThan(0);
    expect(finished.length + raw.length).toBe(products.length);
    expect(products.length).toBeLessThanOrEqual(48);
    for (const p of products) expect(p.sku).toMatch(/^(FG|RM)-\d{4}$/);
    for (const p of finished) expect(p.standardCost).toBeLessThan(p.listPrice);
    expect(products.some((p) => p.onHand <= p.reorderPoint)).toBe(true);
    expect(products.some((p) => p.onHand > p.reorderPoint)).toBe(true);
  });

  it('buys raw materials from a handful of suppliers', () => {
    expect(suppliers.length).toBeGreaterThanOrEqual(3);
    expect(suppliers.length).toBeLessThanOrEqual(6);
    const supplierIds = new Set(suppliers.map((s) => s.id));
    expect(purchaseOrders).toHaveLength(30);
    for (const po of purchaseOrders) {
      expect(supplierIds.has(po.supplierId)).toBe(true);
      expect(po.erpReference).toMatch(/^PUR-ORD-\d{4}-\d{5}$/);
      expect(t(po.expectedAt)).toBeGreaterThan(t(po.orderedAt));
      expect(po.lines.length).toBeGreaterThan(0);
      for (const line of po.lines) expect(line.sku).toMatch(/^RM-/);
    }
  });
});

describe('sales orders', () => {
  it('spread over every status, with ERPNext references', () => {
    expect(new Set(salesOrders.map((o) => o.status))).toEqual(new Set(SALES_ORDER_STATUSES));
    expect(unique(salesOrders.map((o) => o.erpReference))).toBe(true);
    salesOrders.forEach((order, i) => {
      expect(order.id).toBe(`SO-${String(i + 1).padStart(6, '0')}`);
      expect(order.erpReference).toMatch(/^SAL-ORD-20\d\d-\d{5}$/);
      expect(order.erpReference.slice(8, 12)).toBe(order.orderedAt.slice(0, 4));
    });
  });

  it('are placed before the anchor and due after they were placed, some already due and some not', () => {
    for (const order of salesOrders) {
      expect(t(order.orderedAt)).toBeLessThan(anchor);
      expect(t(order.dueDate)).toBeGreaterThan(t(order.orderedAt));
      expect(customerById.get(order.customerId)?.currency).toBe(order.currency);
    }
    expect(salesOrders.some((o) => t(o.dueDate) < anchor)).toBe(true);
    expect(salesOrders.some((o) => t(o.dueDate) > anchor)).toBe(true);
    const times = salesOrders.map((o) => t(o.orderedAt));
    expect(times).toEqual([...times].sort((a, b) => a - b));
  });

  it('have 1–3 lines of distinct finished goods', () => {
    for (const order of salesOrders) {
      expect(order.lines.length).toBeGreaterThanOrEqual(1);
      expect(order.lines.length).toBeLessThanOrEqual(3);
      expect(order.lines.map((l) => l.lineNo)).toEqual(order.lines.map((_, i) => i + 1));
      expect(unique(order.lines.map((l) => l.sku))).toBe(true);
      for (const line of order.lines) {
        expect(line.sku).toMatch(/^FG-/);
        expect(productBySku.has(line.sku)).toBe(true);
        expect(line.quantity).toBeGreaterThan(0);
        expect(line.unitPrice).toBeGreaterThan(0);
      }
    }
  });
});

describe('work orders follow their sales order', () => {
  const fulfilled = new Set(['SHIPPED', 'INVOICED', 'CLOSED']);

  it('exist once per line for every confirmed order and never for drafts or cancellations', () => {
    for (const order of salesOrders) {
      const workOrders = workOrdersByOrder.get(order.id) ?? [];
      if (order.status === 'DRAFT' || order.status === 'CANCELLED') {
        expect(workOrders).toEqual([]);
        continue;
      }
      expect(workOrders.map((wo) => [wo.sku, wo.quantityPlanned])).toEqual(order.lines.map((l) => [l.sku, l.quantity]));
    }
    expect(world.mes.workOrders.every((wo) => salesOrders.some((o) => o.id === wo.salesOrderId))).toBe(true);
  });

  it('take their status and counts from the order status', () => {
    const statusOf = (wos: WorkOrderRecord[]) => new Set(wos.map((wo) => wo.status));
    for (const order of salesOrders) {
      const workOrders = workOrdersByOrder.get(order.id) ?? [];
      if (fulfilled.has(order.status)) {
        for (const wo of workOrders) {
          expect(wo.status).toBe('COMPLETED');
          expect(wo.quantityGood).toBeGreaterThanOrEqual(wo.quantityPlanned);
          expect(wo.quantityGood + wo.quantityScrap).toBeGreaterThanOrEqual(wo.quantityPlanned);
        }
      } else if (order.status === 'IN_PRODUCTION') {
        expect([...statusOf(workOrders)].every((s) => ['RELEASED', 'RUNNING', 'PAUSED', 'COMPLETED'].includes(s))).toBe(true);
        expect(workOrders.some((wo) => wo.status !== 'COMPLETED')).toBe(true);
      } else if (order.status === 'CONFIRMED') {
        for (const wo of workOrders) {
          expect(['PLANNED', 'RELEASED']).toContain(wo.status);
          expect([wo.quantityGood, wo.quantityScrap, wo.actualStart]).toEqual([0, 0, null]);
        }
      }
    }
    const inProduction = world.mes.workOrders.filter((wo) => salesOrders.find((o) => o.id === wo.salesOrderId)!.status === 'IN_PRODUCTION');
    expect(statusOf(inProduction)).toEqual(new Set(['RELEASED', 'RUNNING', 'PAUSED', 'COMPLETED']));
    for (const wo of inProduction.filter((w) => w.status === 'RUNNING' || w.status === 'PAUSED')) {
      expect(wo.quantityGood).toBeGreaterThan(0);
      expect(wo.quantityGood).toBeLessThan(wo.quantityPlanned);
    }
  });
});

describe('shipments', () => {
  it('exist exactly for shipped, invoiced and closed orders and carry lots their own work orders produced', () => {
    const shippedPerLot = new Map<string, number>();
    for (const order of salesOrders) {
      const orderShipments = shipmentsByOrder.get(order.id) ?? [];
      expect(orderShipments.length > 0).toBe(['SHIPPED', 'INVOICED', 'CLOSED'].includes(order.status));
      const shippedPerWorkOrder = new Map<string, number>();
      for (const shipment of orderShipments) {
        expect(shipment.erpReference).toMatch(/^MAT-DN-\d{4}-\d{5}$/);
        expect(t(shipment.shippedAt)).toBeLessThan(anchor);
        expect(shipment.lots.length).toBeGreaterThan(0);
        for (const shipped of shipment.lots) {
          const lot = lotByNumber.get(shipped.lotNumber)!;
          const producer = workOrderById.get(lot.producedByWorkOrderId!)!;
          expect(producer.salesOrderId).toBe(order.id);
          expect(shipped.quantity).toBeGreaterThan(0);
          expect(t(shipment.shippedAt)).toBeGreaterThanOrEqual(t(lot.createdAt));
          shippedPerLot.set(lot.lotNumber, (shippedPerLot.get(lot.lotNumber) ?? 0) + shipped.quantity);
          shippedPerWorkOrder.set(producer.id, (shippedPerWorkOrder.get(producer.id) ?? 0) + shipped.quantity);
        }
      }
      // Each line ships its ordered quantity.
      for (const [workOrderId, quantity] of shippedPerWorkOrder) expect(quantity).toBe(workOrderById.get(workOrderId)!.quantityPlanned);
    }
    for (const [lotNumber, quantity] of shippedPerLot) expect(quantity).toBeLessThanOrEqual(lotByNumber.get(lotNumber)!.quantity);
  });
});

describe('invoices', () => {
  it('bill the order total once invoiced, and are paid for closed orders', () => {
    for (const order of salesOrders) {
      const live = (invoicesByOrder.get(order.id) ?? []).filter((i) => i.status !== 'CANCELLED' && i.status !== 'DRAFT');
      if (order.status === 'INVOICED' || order.status === 'CLOSED') {
        expect(live).toHaveLength(1);
        const invoice = live[0]!;
        expect(invoice.amount).toBe(total(order));
        expect(invoice.currency).toBe(order.currency);
        expect(invoice.erpReference).toMatch(/^ACC-SINV-\d{4}-\d{5}$/);
        expect(t(invoice.dueAt)).toBeGreaterThan(t(invoice.issuedAt));
        if (order.status === 'CLOSED') expect(invoice.status).toBe('PAID');
        else expect(invoice.status).toBe(t(invoice.dueAt) < anchor ? 'OVERDUE' : 'UNPAID');
      } else {
        expect(live).toEqual([]);
      }
    }
    for (const invoice of invoices) expect(invoice.amount).toBe(total(salesOrders.find((o) => o.id === invoice.salesOrderId)!));
    expect(new Set(invoices.map((i) => i.status))).toEqual(new Set(['DRAFT', 'UNPAID', 'PAID', 'OVERDUE', 'CANCELLED']));
  });
});
