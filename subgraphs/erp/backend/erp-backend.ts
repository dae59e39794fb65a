import type { IsoDateTime, Page, PageResult } from '../../common/paging';

/**
 * The ERP subgraph reads and writes only through this interface. Implementations: the in-memory mock
 * (mocks/erp) and, later, the ERPNext REST adapter. Every read is batch-shaped (many keys per call, results in
 * key order, null or [] for a miss) so that per-request DataLoaders can turn N lookups into one call.
 */
export interface ErpBackend {
  getCustomers(ids: readonly string[]): Promise<(CustomerRecord | null)[]>;
  listCustomers(filter: CustomerFilter, page: Page): Promise<PageResult<CustomerRecord>>;

  getProducts(skus: readonly string[]): Promise<(ProductRecord | null)[]>;
  listProducts(filter: ProductFilter, page: Page): Promise<PageResult<ProductRecord>>;

  getSalesOrders(ids: readonly string[]): Promise<(SalesOrderRecord | null)[]>;
  /** Ordered by orderedAt, then id. */
  listSalesOrders(filter: SalesOrderFilter, page: Page): Promise<PageResult<SalesOrderRecord>>;

  getShipments(ids: readonly string[]): Promise<(ShipmentRecord | null)[]>;
  getShipmentsBySalesOrders(salesOrderIds: readonly string[]): Promise<ShipmentRecord[][]>;
  /** Shipments that carried any quantity of each lot: the ERP half of a recall. */
  getShipmentsByLots(lotNumbers: readonly string[]): Promise<ShipmentRecord[][]>;

  getInvoices(ids: readonly string[]): Promise<(InvoiceRecord | null)[]>;
  getInvoicesBySalesOrders(salesOrderIds: readonly string[]): Promise<InvoiceRecord[][]>;
  listInvoices(filter: InvoiceFilter, page: Page): Promise<PageResult<InvoiceRecord>>;

  getSuppliers(ids: readonly string[]): Promise<(SupplierRecord | null)[]>;
  listSuppliers(page: Page): Promise<PageResult<SupplierRecord>>;

  getPurchaseOrders(ids: readonly string[]): Promise<(PurchaseOrderRecord | null)[]>;
  listPurchaseOrders(filter: PurchaseOrderFilter, page: Page): Promise<PageResult<PurchaseOrderRecord>>;

  /**
   * Writes take an idempotency key: the same key again returns the record the first call created.
   * Input is already validated by the subgraph (products exist, quantities positive).
   */
  createSalesOrder(input: NewSalesOrder, idempotencyKey?: string): Promise<SalesOrderRecord>;
  /** Compare-and-set: null when the order is not in `from` any more (a concurrent change won). */
  transitionSalesOrder(id: string, from: SalesOrderStatus, to: SalesOrderStatus): Promise<SalesOrderRecord | null>;
  createPurchaseOrder(input: NewPurchaseOrder, idempotencyKey?: string): Promise<PurchaseOrderRecord>;
}

export interface CustomerRecord {
  id: string;
  /** The ERP's own record name, e.g. ERPNext `CUST-00001`. */
  erpReference: string;
  name: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  creditLimit: number;
  currency: string;
}

export interface ProductRecord {
  sku: string;
  erpReference: string;
  name: string;
  unitOfMeasure: string;
  listPrice: number;
  standardCost: number;
  currency: string;
  onHand: number;
  reorderPoint: number;
}

export const SALES_ORDER_STATUSES = ['DRAFT', 'CONFIRMED', 'IN_PRODUCTION', 'SHIPPED', 'INVOICED', 'CLOSED', 'CANCELLED'] as const;
export type SalesOrderStatus = (typeof SALES_ORDER_STATUSES)[number];

export interface SalesOrderLineRecord {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface SalesOrderRecord {
  id: string;
  /** ERPNext Sales Order name, e.g. `SAL-ORD-2026-00001`. */
  erpReference: string;
  number: string;
  customerId: string;
  status: SalesOrderStatus;
  orderedAt: IsoDateTime;
  dueDate: IsoDateTime;
  currency: string;
  lines: SalesOrderLineRecord[];
}

export interface ShippedLotRecord {
  lotNumber: string;
  quantity: number;
}

export interface ShipmentRecord {
  id: string;
  /** ERPNext Delivery Note name. */
  erpReference: string;
  salesOrderId: string;
  shippedAt: IsoDateTime;
  lots: ShippedLotRecord[];
}

export const INVOICE_STATUSES = ['DRAFT', 'UNPAID', 'PAID', 'OVERDUE', 'CANCELLED'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

export interface InvoiceRecord {
  id: string;
  /** ERPNext Sales Invoice name. */
  erpReference: string;
  number: string;
  salesOrderId: string;
  amount: number;
  currency: string;
  status: InvoiceStatus;
  issuedAt: IsoDateTime;
  dueAt: IsoDateTime;
}

export interface SupplierRecord {
  id: string;
  erpReference: string;
  name: string;
  country: string;
}

export const PURCHASE_ORDER_STATUSES = ['DRAFT', 'SUBMITTED', 'RECEIVED', 'CANCELLED'] as const;
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];

export interface PurchaseOrderLineRecord {
  lineNo: number;
  sku: string;
  quantity: number;
  unitPrice: number;
}

export interface PurchaseOrderRecord {
  id: string;
  erpReference: string;
  number: string;
  supplierId: string;
  status: PurchaseOrderStatus;
  orderedAt: IsoDateTime;
  expectedAt: IsoDateTime;
  currency: string;
  lines: PurchaseOrderLineRecord[];
}

export interface CustomerFilter {
  country?: string;
}

export interface ProductFilter {
  /** Products whose onHand is at or below their reorder point. */
  belowReorderPoint?: boolean;
}

export interface SalesOrderFilter {
  status?: SalesOrderStatus;
  customerId?: string;
  dueBefore?: IsoDateTime;
  dueAfter?: IsoDateTime;
}

export interface InvoiceFilter {
  status?: InvoiceStatus;
  salesOrderId?: string;
}

export interface PurchaseOrderFilter {
  status?: PurchaseOrderStatus;
  supplierId?: string;
}

export interface NewSalesOrder {
  customerId: string;
  dueDate: IsoDateTime;
  currency: string;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}

export interface NewPurchaseOrder {
  supplierId: string;
  expectedAt: IsoDateTime;
  currency: string;
  lines: { sku: string; quantity: number; unitPrice: number }[];
}
