import { GraphQLError } from 'graphql';
import { createMockErpBackend, InMemoryErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import { generateWorld } from '../../../mocks/dataset';
import type { NewSalesOrder } from '../../../subgraphs/erp/backend/erp-backend';

const world = generateWorld({ seed: 7, scale: 50 });
const fixedClock = () => new Date('2026-03-02T09:30:00.000Z');
const newBackend = () => new InMemoryErpBackend(world, { clock: fixedClock });
const page = { offset: 0, limit: 1000 };
const t = Date.parse;

describe('InMemoryErpBackend reads', () => {
  const backend = newBackend();

  it('answers batch lookups in key order with null for misses', async () => {
    const [a, b] = world.erp.customers;
    expect(await backend.getCustomers([b!.id, 'C-9999', a!.id])).toEqual([b, null, a]);
    expect(await backend.getProducts(['FG-0001', 'nope'])).toEqual([world.erp.products.find((p) => p.sku === 'FG-0001'), null]);
    expect(await backend.getSalesOrders([])).toEqual([]);
    const order = world.erp.salesOrders[3]!;
    expect(await backend.getSalesOrders([order.id, order.id])).toEqual([order, order]);
  });

  it('answers grouped lookups in key order with [] for misses', async () => {
    const shipped = world.erp.shipments[0]!;
    const [forOrder, none] = await backend.getShipmentsBySalesOrders([shipped.salesOrderId, 'SO-999999']);
    expect(forOrder).toEqual(world.erp.shipments.filter((s) => s.salesOrderId === shipped.salesOrderId));
    expect(none).toEqual([]);
    const lot = shipped.lots[0]!.lotNumber;
    const [byLot, unknown] = await backend.getShipmentsByLots([lot, 'LOT-XX']);
    expect(byLot).toContainEqual(shipped);
    expect(unknown).toEqual([]);
    const invoiced = world.erp.invoices[0]!;
    const [invoices, noInvoices] = await backend.getInvoicesBySalesOrders([invoiced.salesOrderId, 'SO-999999']);
    expect(invoices).toContainEqual(invoiced);
    expect(noInvoices).toEqual([]);
  });

  it('lists sales orders by orderedAt then id, filtered, with totalCount and offset pages', async () => {
    const all = await backend.listSalesOrders({}, page);
    expect(all.totalCount).toBe(50);
    expect(all.items.map((o) => o.id)).toEqual(world.erp.salesOrders.map((o) => o.id));

    const customerId = world.erp.salesOrders[0]!.customerId;
    const mine = await backend.listSalesOrders({ customerId }, page);
    expect(mine.items.every((o) => o.customerId === customerId)).toBe(true);
    expect(mine.totalCount).toBe(world.erp.salesOrders.filter((o) => o.customerId === customerId).length);

    const closed = await backend.listSalesOrders({ status: 'CLOSED' }, { offset: 1, limit: 2 });
    const allClosed = world.erp.salesOrders.filter((o) => o.status === 'CLOSED');
    expect(closed).toEqual({ items: allClosed.slice(1, 3), totalCount: allClosed.length });
    expect((await backend.listSalesOrders({}, { offset: 60, limit: 10 })).items).toEqual([]);
  });

  it('filters by due window: dueAfter inclusive, dueBefore exclusive', async () => {
    const due = world.erp.salesOrders[10]!.dueDate;
    const before = await backend.listSalesOrders({ dueBefore: due }, page);
    const after = await backend.listSalesOrders({ dueAfter: due }, page);
    expect(before.items.every((o) => t(o.dueDate) < t(due))).toBe(true);
    expect(after.items.every((o) => t(o.dueDate) >= t(due))).toBe(true);
    expect(before.totalCount + after.totalCount).toBe(50);
    await expect(backend.listSalesOrders({ dueBefore: 'yesterday' }, page)).rejects.toThrow(GraphQLError);
  });

  it('filters customers, products, invoices, suppliers and purchase orders', async () => {
    const country = world.erp.customers[0]!.country;
    expect((await backend.listCustomers({ country }, page)).items.every((c) => c.country === country)).toBe(true);
    const below = await backend.listProducts({ belowReorderPoint: true }, page);
    const above = await backend.listProducts({ belowReorderPoint: false }, page);
    expect(below.items.every((p) => p.onHand <= p.reorderPoint)).toBe(true);
    expect(below.totalCount + above.totalCount).toBe(world.erp.products.length);
    const paid = await backend.listInvoices({ status: 'PAID' }, page);
    expect(paid.items.every((i) => i.status === 'PAID')).toBe(true);
    const orderId = world.erp.invoices[0]!.salesOrderId;
    expect((await backend.listInvoices({ salesOrderId: orderId }, page)).items.every((i) => i.salesOrderId === orderId)).toBe(true);
    expect((await backend.listSuppliers(page)).items).toEqual(world.erp.suppliers);
    const supplierId = world.erp.suppliers[0]!.id;
    const pos = await backend.listPurchaseOrders({ supplierId, status: 'RECEIVED' }, page);
    expect(pos.items.every((o) => o.supplierId === supplierId && o.status === 'RECEIVED')).toBe(true);
    expect(await backend.getPurchaseOrders([world.erp.purchaseOrders[0]!.id, 'PO-0'])).toEqual([world.erp.purchaseOrders[0], null]);
  });

  it('hands out frozen records callers cannot corrupt', async () => {
    const [customer] = await backend.getCustomers([world.erp.customers[0]!.id]);
    expect(() => {
      customer!.name = 'changed';
    }).toThrow(TypeError);
    expect((await backend.getCustomers([customer!.id]))[0]!.name).toBe(world.erp.customers[0]!.name);
  });
});

describe('InMemoryErpBackend writes', () => {
  const input: NewSalesOrder = {
    customerId: world.erp.customers[0]!.id,
    dueDate: '2026-04-01T00:00:00Z',
    currency: 'EUR',
    lines: [{ sku: 'FG-0001', quantity: 10, unitPrice: 99.5 }],
  };

  it('creates a draft sales order with the next id and ERPNext reference', async () => {
    const backend = newBackend();
    const order = await backend.createSalesOrder(input, 'key-1');
    expect(order).toMatchObject({ id: 'SO-000051', status: 'DRAFT', orderedAt: '2026-03-02T09:30:00.000Z', dueDate: '2026-04-01T00:00:00.000Z' });
    const last2026 = world.erp.salesOrders.filter((o) => o.erpReference.startsWith('SAL-ORD-2026-')).length;
    expect(order.erpReference).toBe(`SAL-ORD-2026-${String(last2026 + 1).padStart(5, '0')}`);
    expect(order.lines).toEqual([{ lineNo: 1, sku: 'FG-0001', quantity: 10, unitPrice: 99.5 }]);
    expect(await backend.getSalesOrders([order.id])).toEqual([order]);
    const listed = await backend.listSalesOrders({}, page);
    expect(listed.items.at(-1)).toEqual(order);
    expect(listed.totalCount).toBe(51);
  });

  it('returns the first record again for a repeated idempotency key', async () => {
    const backend = newBackend();
    const first = await backend.createSalesOrder(input, 'same');
    expect(await backend.createSalesOrder({ ...input, currency: 'USD' }, 'same')).toBe(first);
    const other = await backend.createSalesOrder(input, 'other');
    const unkeyed = await backend.createSalesOrder(input);
    expect(new Set([first.id, other.id, unkeyed.id]).size).toBe(3);
  });

  it('refuses an order for an unknown customer', async () => {
    await expect(newBackend().createSalesOrder({ ...input, customerId: 'C-0' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
  });

  it('transitions by compare-and-set, returning null when the status moved on', async () => {
    const backend = newBackend();
    const draft = await backend.createSalesOrder(input);
    const confirmed = await backend.transitionSalesOrder(draft.id, 'DRAFT', 'CONFIRMED');
    expect(confirmed).toMatchObject({ id: draft.id, status: 'CONFIRMED' });
    expect(draft.status).toBe('DRAFT');
    expect(await backend.transitionSalesOrder(draft.id, 'DRAFT', 'CANCELLED')).toBeNull();
    expect(await backend.transitionSalesOrder('SO-999999', 'DRAFT', 'CONFIRMED')).toBeNull();
    expect((await backend.getSalesOrders([draft.id]))[0]!.status).toBe('CONFIRMED');
    // A repeated create with the same key returns the order as it is now.
    const keyed = await backend.createSalesOrder(input, 'k');
    await backend.transitionSalesOrder(keyed.id, 'DRAFT', 'CONFIRMED');
    expect((await backend.createSalesOrder(input, 'k')).status).toBe('CONFIRMED');
  });

  it('creates submitted purchase orders, idempotently', async () => {
    const backend = newBackend();
    const po = { supplierId: world.erp.suppliers[0]!.id, expectedAt: '2026-03-20T00:00:00Z', currency: 'EUR', lines: [{ sku: 'RM-0001', quantity: 500, unitPrice: 1.2 }] };
    const created = await backend.createPurchaseOrder(po, 'po-1');
    expect(created).toMatchObject({ id: `PO-${String(world.erp.purchaseOrders.length + 1).padStart(6, '0')}`, status: 'SUBMITTED' });
    expect(created.erpReference).toMatch(/^PUR-ORD-2026-\d{5}$/);
    expect(await backend.createPurchaseOrder(po, 'po-1')).toBe(created);
    expect((await backend.listPurchaseOrders({}, page)).items.at(-1)).toEqual(created);
    await expect(backend.createPurchaseOrder({ ...po, supplierId: 'S-0' })).rejects.toBeInstanceOf(GraphQLError);
  });

  it('keeps each backend\'s writes to itself even when they share a world', async () => {
    const a = createMockErpBackend({ seed: 7, scale: 50, clock: fixedClock });
    const b = createMockErpBackend({ seed: 7, scale: 50, clock: fixedClock });
    const first = world.erp.customers[0]!.id;
    expect((await a.getCustomers([first]))[0]).toBe((await b.getCustomers([first]))[0]);
    const created = await a.createSalesOrder(input);
    expect(await b.getSalesOrders([created.id])).toEqual([null]);
  });
});
