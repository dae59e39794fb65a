import { badUserInput } from '../../../common/errors';
import type { IsoDateTime, Page, PageResult } from '../../../common/paging';
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
} from '../erp-backend';
import {
  DocType,
  Fields,
  INVOICE_STATUS_TO_ERPNEXT,
  PURCHASE_ORDER_STATUS_TO_ERPNEXT,
  toCustomer,
  toFrappeDatetime,
  toInvoice,
  toProduct,
  toSupplier,
  type Doc,
} from './doctypes';
import { ErpNextHttp, type ErpNextConnectionOptions } from './http-client';
import { groupedInKeyOrder, inKeyOrder } from './keyed';
import { OrderDocuments } from './order-documents';
import { ResourceClient, type Filter, type ListQuery } from './resource-client';
import { ErpNextWrites } from './writes';

const BY_FORGE_ID = 'forge_id asc';

/**
 * ErpBackend over ERPNext's REST API (see doctypes.ts for how forge records map onto DocTypes).
 *
 * Cost model, which the bi test pins: a batched `getX(ids)` is one `in` call per DocType involved (header, and
 * child rows for documents with lines); a list page is one call for the rows, one for child rows and one
 * `get_count`. Neither grows with the number of keys up to IN_CHUNK / PAGE_SIZE.
 */
export class ErpNextRestBackend implements ErpBackend {
  private readonly http: ErpNextHttp;
  private readonly resources: ResourceClient;
  private readonly orders: OrderDocuments;
  private readonly writes: ErpNextWrites;

  constructor(options: ErpNextConnectionOptions) {
    this.http = new ErpNextHttp(options);
    this.resources = new ResourceClient(this.http);
    this.orders = new OrderDocuments(this.resources);
    this.writes = new ErpNextWrites(this.resources, this.orders);
  }

  /** Closes the keep-alive sockets (process shutdown, tests). */
  close(): Promise<void> {
    return this.http.close();
  }

  async getCustomers(ids: readonly string[]) {
    const docs = await this.resources.whereIn(DocType.customer, 'forge_id', ids, { fields: Fields.customer, orderBy: BY_FORGE_ID });
    return inKeyOrder(ids, docs.map(toCustomer), (c) => c.id);
  }

  async listCustomers(filter: CustomerFilter, page: Page): Promise<PageResult<CustomerRecord>> {
    const filters: Filter[] = filter.country === undefined ? [] : [['forge_country', '=', filter.country]];
    return this.listPage(DocType.customer, { fields: Fields.customer, filters, orderBy: BY_FORGE_ID }, page, async (docs) => docs.map(toCustomer));
  }

  async getProducts(skus: readonly string[]) {
    const docs = await this.resources.whereIn(DocType.item, 'name', skus, { fields: Fields.item, orderBy: 'name asc' });
    return inKeyOrder(skus, docs.map(toProduct), (p) => p.sku);
  }

  /**
   * "Below reorder point" compares two fields of a row, which Frappe filters cannot express: read every item
   * (a catalogue is small, and `all` pages through it) and filter here.
   */
  async listProducts(filter: ProductFilter, page: Page): Promise<PageResult<ProductRecord>> {
    const query: ListQuery = { fields: Fields.item, orderBy: 'name asc' };
    if (filter.belowReorderPoint === undefined) return this.listPage(DocType.item, query, page, async (docs) => docs.map(toProduct));
    const below = filter.belowReorderPoint;
    const matching = (await this.resources.all(DocType.item, query)).map(toProduct).filter((p) => (p.onHand <= p.reorderPoint) === below);
    return { items: matching.slice(page.offset, page.offset + page.limit), totalCount: matching.length };
  }

  async getSalesOrders(ids: readonly string[]) {
    return this.orders.salesOrdersWhere('forge_id', ids).then((orders) => inKeyOrder(ids, orders, (o) => o.id));
  }

  /** dueAfter inclusive, dueBefore exclusive, like the in-memory backend. */
  async listSalesOrders(filter: SalesOrderFilter, page: Page): Promise<PageResult<SalesOrderRecord>> {
    const filters: Filter[] = [];
    if (filter.status !== undefined) filters.push(['forge_status', '=', filter.status]);
    if (filter.customerId !== undefined) filters.push(['forge_customer', '=', filter.customerId]);
    if (filter.dueAfter !== undefined) filters.push(['delivery_date', '>=', frappeInstant(filter.dueAfter, 'dueAfter')]);
    if (filter.dueBefore !== undefined) filters.push(['delivery_date', '<', frappeInstant(filter.dueBefore, 'dueBefore')]);
    const query: ListQuery = { fields: Fields.salesOrder, filters, orderBy: 'transaction_date asc, forge_id asc' };
    return this.listPage(DocType.salesOrder, query, page, (docs) => this.orders.withSalesOrderLines(docs));
  }

  async getShipments(ids: readonly string[]) {
    return inKeyOrder(ids, await this.orders.shipmentsWhere('forge_id', ids), (s) => s.id);
  }

  async getShipmentsBySalesOrders(salesOrderIds: readonly string[]) {
    return groupedInKeyOrder(salesOrderIds, await this.orders.shipmentsWhere('forge_sales_order', salesOrderIds), (s) => s.salesOrderId);
  }

  /** Lot → delivery notes through the child table: rows naming the lots, then those notes whole. */
  async getShipmentsByLots(lotNumbers: readonly string[]): Promise<ShipmentRecord[][]> {
    if (lotNumbers.length === 0) return [];
    const rows = await this.resources.whereIn(DocType.deliveryNoteItem, 'batch_no', lotNumbers, {
      fields: ['parent', 'batch_no'],
      orderBy: 'parent asc, idx asc',
      parent: DocType.deliveryNote,
    });
    const shipments = await this.orders.shipmentsWhere('name', rows.map((r) => String(r.parent)));
    return lotNumbers.map((lot) => {
      // A note may list one lot on several rows; it appears once, in forge id order like the other groupings.
      const names = new Set(rows.filter((r) => r.batch_no === lot).map((r) => String(r.parent)));
      return shipments.filter((s) => names.has(s.erpReference));
    });
  }

  async getInvoices(ids: readonly string[]) {
    const docs = await this.resources.whereIn(DocType.salesInvoice, 'forge_id', ids, { fields: Fields.salesInvoice, orderBy: BY_FORGE_ID });
    return inKeyOrder(ids, docs.map(toInvoice), (i) => i.id);
  }

  async getInvoicesBySalesOrders(salesOrderIds: readonly string[]) {
    const docs = await this.resources.whereIn(DocType.salesInvoice, 'forge_sales_order', salesOrderIds, { fields: Fields.salesInvoice, orderBy: BY_FORGE_ID });
    return groupedInKeyOrder(salesOrderIds, docs.map(toInvoice), (i) => i.salesOrderId);
  }

  async listInvoices(filter: InvoiceFilter, page: Page): Promise<PageResult<InvoiceRecord>> {
    const filters: Filter[] = [];
    if (filter.status !== undefined) filters.push(['status', '=', INVOICE_STATUS_TO_ERPNEXT[filter.status]]);
    if (filter.salesOrderId !== undefined) filters.push(['forge_sales_order', '=', filter.salesOrderId]);
    return this.listPage(DocType.salesInvoice, { fields: Fields.salesInvoice, filters, orderBy: BY_FORGE_ID }, page, async (docs) => docs.map(toInvoice));
  }

  async getSuppliers(ids: readonly string[]) {
    const docs = await this.resources.whereIn(DocType.supplier, 'forge_id', ids, { fields: Fields.supplier, orderBy: BY_FORGE_ID });
    return inKeyOrder(ids, docs.map(toSupplier), (s) => s.id);
  }

  async listSuppliers(page: Page): Promise<PageResult<SupplierRecord>> {
    return this.listPage(DocType.supplier, { fields: Fields.supplier, orderBy: BY_FORGE_ID }, page, async (docs) => docs.map(toSupplier));
  }

  async getPurchaseOrders(ids: readonly string[]) {
    return inKeyOrder(ids, await this.orders.purchaseOrdersWhere('forge_id', ids), (o) => o.id);
  }

  async listPurchaseOrders(filter: PurchaseOrderFilter, page: Page): Promise<PageResult<PurchaseOrderRecord>> {
    const filters: Filter[] = [];
    if (filter.status !== undefined) filters.push(['status', 'in', PURCHASE_ORDER_STATUS_TO_ERPNEXT[filter.status]]);
    if (filter.supplierId !== undefined) filters.push(['forge_supplier', '=', filter.supplierId]);
    return this.listPage(DocType.purchaseOrder, { fields: Fields.purchaseOrder, filters, orderBy: BY_FORGE_ID }, page, (docs) =>
      this.orders.withPurchaseOrderLines(docs),
    );
  }

  createSalesOrder(input: NewSalesOrder, idempotencyKey?: string): Promise<SalesOrderRecord> {
    return this.writes.createSalesOrder(input, idempotencyKey);
  }

  transitionSalesOrder(id: string, from: SalesOrderStatus, to: SalesOrderStatus): Promise<SalesOrderRecord | null> {
    return this.writes.transitionSalesOrder(id, from, to);
  }

  createPurchaseOrder(input: NewPurchaseOrder, idempotencyKey?: string): Promise<PurchaseOrderRecord> {
    return this.writes.createPurchaseOrder(input, idempotencyKey);
  }

  /**
   * One page of a list and its total. The rows and the count are two calls sent together; a page of zero rows
   * (or past the end) still needs the count.
   */
  private async listPage<T>(doctype: string, query: ListQuery, page: Page, toRecords: (docs: Doc[]) => Promise<T[]>): Promise<PageResult<T>> {
    const offset = Math.max(0, Math.floor(page.offset));
    const limit = Math.max(0, Math.floor(page.limit));
    const [docs, totalCount] = await Promise.all([
      limit === 0 ? Promise.resolve([]) : this.resources.page(doctype, query, offset, limit),
      this.resources.count(doctype, query.filters ?? []),
    ]);
    return { items: await toRecords(docs), totalCount };
  }
}

/** A caller's ISO instant as a Frappe datetime; a malformed one is the caller's input error, as in the mock. */
function frappeInstant(value: IsoDateTime, field: string): string {
  if (Number.isNaN(Date.parse(value))) throw badUserInput(`"${value}" is not an ISO-8601 date-time`, field);
  return toFrappeDatetime(value);
}
