import type {
  CustomerFilter,
  CustomerRecord,
  ErpBackend,
  InvoiceFilter,
  InvoiceRecord,
  NewPurchaseOrder,
  NewSalesOrder,
  ProductFilter,
  ProductRecord,
  PurchaseOrderFilter,
  PurchaseOrderRecord,
  SalesOrderFilter,
  SalesOrderRecord,
  SalesOrderStatus,
  ShipmentRecord,
  SupplierRecord,
} from '../../subgraphs/erp/backend/erp-backend';
import { anchoredClock, type Clock } from '../../subgraphs/common/clock';
import { notFound } from '../../subgraphs/common/errors';
import { pageOf, type Page, type PageResult } from '../../subgraphs/common/paging';
import {
  addToIndex,
  byKeys,
  groupedByKeys,
  IdempotencyLedger,
  insertSorted,
  instant,
  selectOrdered,
} from '../backend-support';
import { deepFreeze } from '../dataset/generate-world';
import { compareIds, Sequence, YearlySeries } from '../dataset/ids';
import { loadWorld } from '../dataset/load-world';
import type { World, WorldOptions } from '../dataset/world';

export interface ErpBackendOptions {
  /** Stamps new records; defaults to a clock starting at the world's anchor so writes follow the seeded history. */
  clock?: Clock;
}

const byId = <T extends { id: string }>(records: readonly T[]) => new Map(records.map((r) => [r.id, r]));
const sortedIds = (records: readonly { id: string }[]) => records.map((r) => r.id).sort(compareIds);

/**
 * ErpBackend over the ERP half of a generated world. Records are frozen and every write replaces a record
 * rather than changing it, so nothing a caller holds can alter the store (or another backend on the same world).
 */
export class InMemoryErpBackend implements ErpBackend {
  private readonly clock: Clock;
  private readonly customers: Map<string, CustomerRecord>;
  private readonly customerIds: string[];
  private readonly products: Map<string, ProductRecord>;
  private readonly productSkus: string[];
  private readonly suppliers: Map<string, SupplierRecord>;
  private readonly supplierIds: string[];
  private readonly salesOrders: Map<string, SalesOrderRecord>;
  /** Sales order ids by orderedAt, then id: the order listSalesOrders promises. */
  private readonly salesOrderIds: string[];
  private readonly shipments: Map<string, ShipmentRecord>;
  private readonly shipmentsBySalesOrder = new Map<string, string[]>();
  private readonly shipmentsByLot = new Map<string, string[]>();
  private readonly invoices: Map<string, InvoiceRecord>;
  private readonly invoiceIds: string[];
  private readonly invoicesBySalesOrder = new Map<string, string[]>();
  private readonly purchaseOrders: Map<string, PurchaseOrderRecord>;
  private readonly purchaseOrderIds: string[];

  private readonly salesOrderSequence: Sequence;
  private readonly salesOrderReferences: YearlySeries;
  private readonly salesOrderNumbers: YearlySeries;
  private readonly purchaseOrderSequence: Sequence;
  private readonly purchaseOrderReferences: YearlySeries;
  private readonly purchaseOrderNumbers: YearlySeries;
  private readonly salesOrderKeys = new IdempotencyLedger();
  private readonly purchaseOrderKeys = new IdempotencyLedger();

  constructor(world: World, options: ErpBackendOptions = {}) {
    const erp = world.erp;
    this.clock = options.clock ?? anchoredClock(new Date(world.anchor));
    this.customers = byId(erp.customers);
    this.customerIds = sortedIds(erp.customers);
    this.products = new Map(erp.products.map((p) => [p.sku, p]));
    this.productSkus = erp.products.map((p) => p.sku).sort(compareIds);
    this.suppliers = byId(erp.suppliers);
    this.supplierIds = sortedIds(erp.suppliers);
    this.salesOrders = byId(erp.salesOrders);
    this.salesOrderIds = erp.salesOrders.map((o) => o.id).sort(this.bySalesOrderTime);
    this.shipments = byId(erp.shipments);
    for (const shipment of erp.shipments) this.indexShipment(shipment);
    this.invoices = byId(erp.invoices);
    this.invoiceIds = sortedIds(erp.invoices);
    for (const invoice of erp.invoices) addToIndex(this.invoicesBySalesOrder, invoice.salesOrderId, invoice.id);
    this.purchaseOrders = byId(erp.purchaseOrders);
    this.purchaseOrderIds = sortedIds(erp.purchaseOrders);

    this.salesOrderSequence = Sequence.after('SO', 6, erp.salesOrders.map((o) => o.id));
    this.salesOrderReferences = YearlySeries.after('SAL-ORD', 5, erp.salesOrders.map((o) => o.erpReference));
    this.salesOrderNumbers = YearlySeries.after('SO', 5, erp.salesOrders.map((o) => o.number));
    this.purchaseOrderSequence = Sequence.after('PO', 6, erp.purchaseOrders.map((o) => o.id));
    this.purchaseOrderReferences = YearlySeries.after('PUR-ORD', 5, erp.purchaseOrders.map((o) => o.erpReference));
    this.purchaseOrderNumbers = YearlySeries.after('PO', 5, erp.purchaseOrders.map((o) => o.number));
  }

  async getCustomers(ids: readonly string[]) {
    return byKeys(this.customers, ids);
  }

  async listCustomers(filter: CustomerFilter, page: Page): Promise<PageResult<CustomerRecord>> {
    const { country } = filter;
    return selectOrdered(this.customerIds, this.customers, country === undefined ? null : (c) => c.country === country, page);
  }

  async getProducts(skus: readonly string[]) {
    return byKeys(this.products, skus);
  }

  async listProducts(filter: ProductFilter, page: Page): Promise<PageResult<ProductRecord>> {
    const below = filter.belowReorderPoint;
    return selectOrdered(this.productSkus, this.products, below === undefined ? null : (p) => (p.onHand <= p.reorderPoint) === below, page);
  }

  async getSalesOrders(ids: readonly string[]) {
    return byKeys(this.salesOrders, ids);
  }

  /** dueAfter is an inclusive lower bound and dueBefore an exclusive upper bound, like every window here. */
  async listSalesOrders(filter: SalesOrderFilter, page: Page): Promise<PageResult<SalesOrderRecord>> {
    const dueAfter = filter.dueAfter === undefined ? -Infinity : instant(filter.dueAfter, 'dueAfter');
    const dueBefore = filter.dueBefore === undefined ? Infinity : instant(filter.dueBefore, 'dueBefore');
    const { status, customerId } = filter;
    const byDue = filter.dueAfter !== undefined || filter.dueBefore !== undefined;
    // An unfiltered page (the usual BI read) is a slice of the ordered ids; a filtered one parses dates only if asked to.
    const keep =
      status === undefined && customerId === undefined && !byDue
        ? null
        : (order: SalesOrderRecord) => {
            if (status !== undefined && order.status !== status) return false;
            if (customerId !== undefined && order.customerId !== customerId) return false;
            if (!byDue) return true;
            const due = Date.parse(order.dueDate);
            return due >= dueAfter && due < dueBefore;
          };
    return selectOrdered(this.salesOrderIds, this.salesOrders, keep, page);
  }

  async getShipments(ids: readonly string[]) {
    return byKeys(this.shipments, ids);
  }

  async getShipmentsBySalesOrders(salesOrderIds: readonly string[]) {
    return groupedByKeys(this.shipmentsBySalesOrder, salesOrderIds, this.shipments);
  }

  async getShipmentsByLots(lotNumbers: readonly string[]) {
    return groupedByKeys(this.shipmentsByLot, lotNumbers, this.shipments);
  }

  async getInvoices(ids: readonly string[]) {
    return byKeys(this.invoices, ids);
  }

  async getInvoicesBySalesOrders(salesOrderIds: readonly string[]) {
    return groupedByKeys(this.invoicesBySalesOrder, salesOrderIds, this.invoices);
  }

  async listInvoices(filter: InvoiceFilter, page: Page): Promise<PageResult<InvoiceRecord>> {
    if (filter.salesOrderId !== undefined) {
      const forOrder = (this.invoicesBySalesOrder.get(filter.salesOrderId) ?? []).map((id) => this.invoices.get(id)!);
      return pageOf(forOrder.filter((i) => filter.status === undefined || i.status === filter.status), page);
    }
    const { status } = filter;
    return selectOrdered(this.invoiceIds, this.invoices, status === undefined ? null : (i) => i.status === status, page);
  }

  async getSuppliers(ids: readonly string[]) {
    return byKeys(this.suppliers, ids);
  }

  async listSuppliers(page: Page): Promise<PageResult<SupplierRecord>> {
    return selectOrdered(this.supplierIds, this.suppliers, null, page);
  }

  async getPurchaseOrders(ids: readonly string[]) {
    return byKeys(this.purchaseOrders, ids);
  }

  async listPurchaseOrders(filter: PurchaseOrderFilter, page: Page): Promise<PageResult<PurchaseOrderRecord>> {
    return selectOrdered(
      this.purchaseOrderIds,
      this.purchaseOrders,
      (o) => (filter.status === undefined || o.status === filter.status) && (filter.supplierId === undefined || o.supplierId === filter.supplierId),
      page,
    );
  }

  /** New orders start as DRAFT, like a Sales Order saved but not submitted in ERPNext. */
  async createSalesOrder(input: NewSalesOrder, idempotencyKey?: string): Promise<SalesOrderRecord> {
    const earlier = this.salesOrderKeys.recall(idempotencyKey);
    if (earlier !== undefined) return this.salesOrders.get(earlier)!;
    if (!this.customers.has(input.customerId)) throw notFound('Customer', input.customerId, 'input.customerId');

    const now = this.clock().getTime();
    const order: SalesOrderRecord = deepFreeze({
      id: this.salesOrderSequence.next(),
      erpReference: this.salesOrderReferences.next(now),
      number: this.salesOrderNumbers.next(now),
      customerId: input.customerId,
      status: 'DRAFT',
      orderedAt: new Date(now).toISOString(),
      dueDate: new Date(instant(input.dueDate, 'input.dueDate')).toISOString(),
      currency: input.currency,
      lines: input.lines.map((line, index) => ({ lineNo: index + 1, sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice })),
    });
    this.salesOrders.set(order.id, order);
    insertSorted(this.salesOrderIds, order.id, this.bySalesOrderTime);
    this.salesOrderKeys.remember(idempotencyKey, order.id);
    return order;
  }

  async transitionSalesOrder(id: string, from: SalesOrderStatus, to: SalesOrderStatus): Promise<SalesOrderRecord | null> {
    const current = this.salesOrders.get(id);
    if (!current || current.status !== from) return null;
    const next = deepFreeze({ ...current, status: to });
    this.salesOrders.set(id, next);
    return next;
  }

  /** Created SUBMITTED: the graph has no separate submit step for purchase orders. */
  async createPurchaseOrder(input: NewPurchaseOrder, idempotencyKey?: string): Promise<PurchaseOrderRecord> {
    const earlier = this.purchaseOrderKeys.recall(idempotencyKey);
    if (earlier !== undefined) return this.purchaseOrders.get(earlier)!;
    if (!this.suppliers.has(input.supplierId)) throw notFound('Supplier', input.supplierId, 'input.supplierId');

    const now = this.clock().getTime();
    const order: PurchaseOrderRecord = deepFreeze({
      id: this.purchaseOrderSequence.next(),
      erpReference: this.purchaseOrderReferences.next(now),
      number: this.purchaseOrderNumbers.next(now),
      supplierId: input.supplierId,
      status: 'SUBMITTED',
      orderedAt: new Date(now).toISOString(),
      expectedAt: new Date(instant(input.expectedAt, 'input.expectedAt')).toISOString(),
      currency: input.currency,
      lines: input.lines.map((line, index) => ({ lineNo: index + 1, sku: line.sku, quantity: line.quantity, unitPrice: line.unitPrice })),
    });
    this.purchaseOrders.set(order.id, order);
    // New ids are the highest yet, so appending keeps id order.
    this.purchaseOrderIds.push(order.id);
    this.purchaseOrderKeys.remember(idempotencyKey, order.id);
    return order;
  }

  private readonly bySalesOrderTime = (a: string, b: string): number => {
    const left = this.salesOrders.get(a)!;
    const right = this.salesOrders.get(b)!;
    return Date.parse(left.orderedAt) - Date.parse(right.orderedAt) || compareIds(a, b);
  };

  private indexShipment(shipment: ShipmentRecord): void {
    addToIndex(this.shipmentsBySalesOrder, shipment.salesOrderId, shipment.id);
    // A delivery note may list one lot on several rows; the lot's shipment list names the note once.
    for (const lotNumber of new Set(shipment.lots.map((lot) => lot.lotNumber))) addToIndex(this.shipmentsByLot, lotNumber, shipment.id);
  }
}

/** The ERP mock of one process: its half of the world that (seed, scale, anchor) always produces. */
export function createMockErpBackend(options: WorldOptions & ErpBackendOptions): InMemoryErpBackend {
  return new InMemoryErpBackend(loadWorld(options), { clock: options.clock });
}
