import { generateWorld } from '../../../mocks/dataset';
import type { World } from '../../../mocks/dataset/world';
import type { Clock } from '../../../subgraphs/common/clock';
import type { ErpBackend, NewPurchaseOrder, NewSalesOrder } from '../../../subgraphs/erp/backend/erp-backend';

/** A backend over `world` (writes stamped by `clock`), and how to release what it holds. */
export interface ContractSubject {
  backend: ErpBackend;
  close(): Promise<void>;
}
export type BackendFactory = (world: World, clock: Clock) => Promise<ContractSubject>;

const world = generateWorld({ seed: 7, scale: 50 });
const fixedClock: Clock = () => new Date('2026-03-02T09:30:00.000Z');
const page = { offset: 0, limit: 1000 };
const t = Date.parse;

/**
 * The ErpBackend contract every implementation passes with the same calls and the same answers: the records of
 * the seeded world, in the promised order, misses as null / [], the same input errors and the same writes.
 */
export function erpBackendContract(label: string, factory: BackendFactory): void {
  describe(`${label}: ErpBackend reads`, () => {
    let subject: ContractSubject;
    let backend: ErpBackend;
    beforeAll(async () => {
      subject = await factory(world, fixedClock);
      backend = subject.backend;
    });
    afterAll(() => subject?.close());

    it('answers batch lookups in key order with null for misses', async () => {
      const [a, b] = world.erp.customers;
      expect(await backend.getCustomers([b!.id, 'C-9999', a!.id])).toEqual([b, null, a]);
      expect(await backend.getProducts(['FG-0001', 'nope'])).toEqual([world.erp.products.find((p) => p.sku === 'FG-0001'), null]);
      expect(await backend.getSalesOrders([])).toEqual([]);
      const order = world.erp.salesOrders[3]!;
      expect(await backend.getSalesOrders([order.id, order.id])).toEqual([order, order]);
      const ids = world.erp.salesOrders.map((o) => o.id).reverse();
      expect(await backend.getSalesOrders(ids)).toEqual([...world.erp.salesOrders].reverse());
      expect(await backend.getShipments([world.erp.shipments[1]!.id, 'SHP-0'])).toEqual([world.erp.shipments[1], null]);
      expect(await backend.getInvoices(['INV-0', world.erp.invoices[2]!.id])).toEqual([null, world.erp.invoices[2]]);
      expect(await backend.getSuppliers(world.erp.suppliers.map((s) => s.id))).toEqual(world.erp.suppliers);
      expect(await backend.getPurchaseOrders([world.erp.purchaseOrders[0]!.id, 'PO-0'])).toEqual([world.erp.purchaseOrders[0], null]);
    });

    it('answers grouped lookups in key order with [] for misses', async () => {
      const shipped = world.erp.shipments[0]!;
      const [forOrder, none] = await backend.getShipmentsBySalesOrders([shipped.salesOrderId, 'SO-999999']);
      expect(forOrder).toEqual(world.erp.shipments.filter((s) => s.salesOrderId === shipped.salesOrderId));
      expect(none).toEqual([]);
      const lots = [...new Set(world.erp.shipments.flatMap((s) => s.lots.map((l) => l.lotNumber)))].slice(0, 8);
      const byLot = await backend.getShipmentsByLots([...lots, 'LOT-XX']);
      expect(byLot).toEqual([...lots.map((lot) => world.erp.shipments.filter((s) => s.lots.some((l) => l.lotNumber === lot))), []]);
      const invoiced = world.erp.invoices[0]!;
      const [invoices, noInvoices] = await backend.getInvoicesBySalesOrders([invoiced.salesOrderId, 'SO-999999']);
      expect(invoices).toEqual(world.erp.invoices.filter((i) => i.salesOrderId === invoiced.salesOrderId));
      expect(noInvoices).toEqual([]);
      expect(await backend.getShipmentsByLots([])).toEqual([]);
    });

    it('lists sales orders by orderedAt then id, filtered, with totalCount and offset pages', async () => {
      const all = await backend.listSalesOrders({}, page);
      expect(all.totalCount).toBe(50);
      expect(all.items).toEqual(world.erp.salesOrders);

      const customerId = world.erp.salesOrders[0]!.customerId;
      const mine = await backend.listSalesOrders({ customerId }, page);
      expect(mine.items).toEqual(world.erp.salesOrders.filter((o) => o.customerId === customerId));
      expect(mine.totalCount).toBe(mine.items.length);

      const closed = await backend.listSalesOrders({ status: 'CLOSED' }, { offset: 1, limit: 2 });
      const allClosed = world.erp.salesOrders.filter((o) => o.status === 'CLOSED');
      expect(closed).toEqual({ items: allClosed.slice(1, 3), totalCount: allClosed.length });
      expect(await backend.listSalesOrders({}, { offset: 60, limit: 10 })).toEqual({ items: [], totalCount: 50 });
      expect(await backend.listSalesOrders({}, { offset: 0, limit: 0 })).toEqual({ items: [], totalCount: 50 });
    });

    it('filters by due window: dueAfter inclusive, dueBefore exclusive', async () => {
      const due = world.erp.salesOrders[10]!.dueDate;
      const before = await backend.listSalesOrders({ dueBefore: due }, page);
      const after = await backend.listSalesOrders({ dueAfter: due }, page);
      expect(before.items).toEqual(world.erp.salesOrders.filter((o) => t(o.dueDate) < t(due)));
      expect(after.items).toEqual(world.erp.salesOrders.filter((o) => t(o.dueDate) >= t(due)));
      await expect(backend.listSalesOrders({ dueBefore: 'yesterday' }, page)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    });

    it('filters customers, products, invoices, suppliers and purchase orders', async () => {
      const country = world.erp.customers[0]!.country;
      expect((await backend.listCustomers({ country }, page)).items).toEqual(world.erp.customers.filter((c) => c.country === country));
      expect((await backend.listCustomers({}, { offset: 1, limit: 1 })).items).toEqual([world.erp.customers[1]]);
      const below = await backend.listProducts({ belowReorderPoint: true }, page);
      const above = await backend.listProducts({ belowReorderPoint: false }, { offset: 1, limit: 3 });
      expect(below.items).toEqual(world.erp.products.filter((p) => p.onHand <= p.reorderPoint));
      expect(above.items).toEqual(world.erp.products.filter((p) => p.onHand > p.reorderPoint).slice(1, 4));
      expect(below.totalCount + above.totalCount).toBe(world.erp.products.length);
      expect(await backend.listProducts({}, page)).toEqual({ items: world.erp.products, totalCount: world.erp.products.length });
      const paid = await backend.listInvoices({ status: 'PAID' }, page);
      expect(paid.items).toEqual(world.erp.invoices.filter((i) => i.status === 'PAID'));
      const orderId = world.erp.invoices[0]!.salesOrderId;
      expect((await backend.listInvoices({ salesOrderId: orderId }, page)).items).toEqual(world.erp.invoices.filter((i) => i.salesOrderId === orderId));
      expect((await backend.listSuppliers(page)).items).toEqual(world.erp.suppliers);
      const supplierId = world.erp.suppliers[0]!.id;
      const pos = await backend.listPurchaseOrders({ supplierId, status: 'RECEIVED' }, page);
      expect(pos.items).toEqual(world.erp.purchaseOrders.filter((o) => o.supplierId === supplierId && o.status === 'RECEIVED'));
      expect((await backend.listPurchaseOrders({}, page)).items).toEqual(world.erp.purchaseOrders);
    });
  });

  describe(`${label}: ErpBackend writes`, () => {
    let subject: ContractSubject;
    let backend: ErpBackend;
    beforeEach(async () => {
      subject = await factory(world, fixedClock);
      backend = subject.backend;
    });
    afterEach(() => subject?.close());

    const input: NewSalesOrder = {
      customerId: world.erp.customers[0]!.id,
      dueDate: '2026-04-01T00:00:00Z',
      currency: 'EUR',
      lines: [{ sku: 'FG-0001', quantity: 10, unitPrice: 99.5 }],
    };

    it('creates a draft sales order with the next id and ERPNext reference', async () => {
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
      const first = await backend.createSalesOrder(input, 'same');
      expect(await backend.createSalesOrder({ ...input, currency: 'USD' }, 'same')).toEqual(first);
      const other = await backend.createSalesOrder(input, 'other');
      const unkeyed = await backend.createSalesOrder(input);
      expect(new Set([first.id, other.id, unkeyed.id]).size).toBe(3);
    });

    it('creates one order for concurrent attempts with one idempotency key', async () => {
      const before = (await backend.listSalesOrders({}, page)).totalCount;
      const attempts = await Promise.all(Array.from({ length: 5 }, () => backend.createSalesOrder(input, 'racing')));
      expect(new Set(attempts.map((o) => o.id)).size).toBe(1);
      expect((await backend.listSalesOrders({}, page)).totalCount).toBe(before + 1);
    });

    it('refuses an order for an unknown customer or a malformed date', async () => {
      await expect(backend.createSalesOrder({ ...input, customerId: 'C-0' })).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', field: 'input.customerId' },
      });
      await expect(backend.createSalesOrder({ ...input, dueDate: 'soon' })).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT' } });
    });

    it('transitions by compare-and-set, returning null when the status moved on', async () => {
      const draft = await backend.createSalesOrder(input);
      const confirmed = await backend.transitionSalesOrder(draft.id, 'DRAFT', 'CONFIRMED');
      expect(confirmed).toEqual({ ...draft, status: 'CONFIRMED' });
      expect(await backend.transitionSalesOrder(draft.id, 'DRAFT', 'CANCELLED')).toBeNull();
      expect(await backend.transitionSalesOrder('SO-999999', 'DRAFT', 'CONFIRMED')).toBeNull();
      expect((await backend.getSalesOrders([draft.id]))[0]!.status).toBe('CONFIRMED');
      // A repeated create with the same key returns the order as it is now.
      const keyed = await backend.createSalesOrder(input, 'k');
      await backend.transitionSalesOrder(keyed.id, 'DRAFT', 'CONFIRMED');
      expect((await backend.createSalesOrder(input, 'k')).status).toBe('CONFIRMED');
    });

    it('creates submitted purchase orders, idempotently', async () => {
      const po: NewPurchaseOrder = {
        supplierId: world.erp.suppliers[0]!.id,
        expectedAt: '2026-03-20T00:00:00Z',
        currency: 'EUR',
        lines: [{ sku: 'RM-0001', quantity: 500, unitPrice: 1.2 }],
      };
      const created = await backend.createPurchaseOrder(po, 'po-1');
      expect(created).toMatchObject({ id: `PO-${String(world.erp.purchaseOrders.length + 1).padStart(6, '0')}`, status: 'SUBMITTED' });
      expect(created.erpReference).toMatch(/^PUR-ORD-2026-\d{5}$/);
      expect(created.lines).toEqual([{ lineNo: 1, sku: 'RM-0001', quantity: 500, unitPrice: 1.2 }]);
      expect(await backend.createPurchaseOrder(po, 'po-1')).toEqual(created);
      expect((await backend.listPurchaseOrders({}, page)).items.at(-1)).toEqual(created);
      await expect(backend.createPurchaseOrder({ ...po, supplierId: 'S-0' })).rejects.toMatchObject({
        extensions: { code: 'BAD_USER_INPUT', field: 'input.supplierId' },
      });
    });
  });
}
