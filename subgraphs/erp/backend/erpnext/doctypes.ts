import type {
  CustomerRecord,
  InvoiceRecord,
  InvoiceStatus,
  ProductRecord,
  PurchaseOrderRecord,
  PurchaseOrderStatus,
  SalesOrderLineRecord,
  SalesOrderRecord,
  SalesOrderStatus,
  ShipmentRecord,
  SupplierRecord,
} from '../erp-backend';

/**
 * How forge records live in ERPNext. The federated ids stay forge's own (C-0001, SO-000001…); ERPNext keeps
 * its naming-series `name` (CUST-00001, SAL-ORD-2026-00001), which becomes `erpReference`. The link between the
 * two is a set of custom fields, all prefixed `forge_`, that a deployment adds with Customize Form:
 *
 * - `forge_id` (Data, unique) on Customer, Supplier, Sales Order, Delivery Note, Sales Invoice, Purchase Order,
 *   set by a before_insert Server Script from a plain counter. Item needs none: its `name` is the sku.
 * - `forge_number` on Sales Order, Sales Invoice, Purchase Order: the document number forge shows.
 * - `forge_customer`, `forge_supplier`, `forge_sales_order`: "Fetch From" copies of the linked document's
 *   `forge_id`, so filtering by a forge id needs no second lookup (one call per batch, not two).
 * - `forge_status` on Sales Order: forge's lifecycle has IN_PRODUCTION, which ERPNext's derived status lacks.
 * - `forge_idempotency_key` on Sales Order and Purchase Order: a retried create finds the first document.
 * - `forge_country` on Customer (ERPNext keeps it on the Address), `forge_currency` and `forge_on_hand` on Item
 *   (the latter a copy of the Bin's actual_qty).
 *
 * Instants are Frappe datetimes (`YYYY-MM-DD HH:MM:SS.mmm`, UTC). A stock ERPNext date field would drop the
 * time; forge's contract keeps it, so the fields used here hold the full datetime.
 */
export const DocType = {
  customer: 'Customer',
  item: 'Item',
  salesOrder: 'Sales Order',
  salesOrderItem: 'Sales Order Item',
  deliveryNote: 'Delivery Note',
  deliveryNoteItem: 'Delivery Note Item',
  salesInvoice: 'Sales Invoice',
  supplier: 'Supplier',
  purchaseOrder: 'Purchase Order',
  purchaseOrderItem: 'Purchase Order Item',
} as const;

/** Any document or child row as JSON: fields are read by name and checked by the mappers below. */
export type Doc = Record<string, unknown>;

export const Fields = {
  customer: ['name', 'forge_id', 'customer_name', 'forge_country', 'credit_limit', 'default_currency'],
  item: ['name', 'item_code', 'item_name', 'stock_uom', 'standard_rate', 'valuation_rate', 'forge_currency', 'forge_on_hand', 'safety_stock'],
  salesOrder: ['name', 'forge_id', 'forge_number', 'forge_customer', 'forge_status', 'transaction_date', 'delivery_date', 'currency', 'modified'],
  orderItem: ['parent', 'idx', 'item_code', 'qty', 'rate'],
  deliveryNote: ['name', 'forge_id', 'forge_sales_order', 'posting_date'],
  deliveryNoteItem: ['parent', 'idx', 'batch_no', 'qty'],
  salesInvoice: ['name', 'forge_id', 'forge_number', 'forge_sales_order', 'grand_total', 'currency', 'status', 'posting_date', 'due_date'],
  supplier: ['name', 'forge_id', 'supplier_name', 'country'],
  purchaseOrder: ['name', 'forge_id', 'forge_number', 'forge_supplier', 'status', 'transaction_date', 'schedule_date', 'currency'],
} as const;

/** ISO instant → Frappe datetime. */
export function toFrappeDatetime(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').replace('Z', '');
}

/** Frappe datetime (UTC, no zone) → ISO instant. */
export function fromFrappeDatetime(value: unknown): string {
  const text = String(value);
  return new Date(`${text.replace(' ', 'T')}${text.includes(' ') || text.includes('T') ? '' : 'T00:00:00'}Z`).toISOString();
}

export const INVOICE_STATUS_TO_ERPNEXT: Record<InvoiceStatus, string> = {
  DRAFT: 'Draft',
  UNPAID: 'Unpaid',
  PAID: 'Paid',
  OVERDUE: 'Overdue',
  CANCELLED: 'Cancelled',
};

/** ERPNext's Purchase Order status says what is left to do; forge only cares whether the goods arrived. */
export const PURCHASE_ORDER_STATUS_TO_ERPNEXT: Record<PurchaseOrderStatus, readonly string[]> = {
  DRAFT: ['Draft'],
  SUBMITTED: ['To Receive and Bill', 'To Receive', 'On Hold'],
  RECEIVED: ['To Bill', 'Completed', 'Closed'],
  CANCELLED: ['Cancelled'],
};

/** ERPNext's own Sales Order status for each forge status (kept in step, though forge reads `forge_status`). */
export const SALES_ORDER_STATUS_TO_ERPNEXT: Record<SalesOrderStatus, string> = {
  DRAFT: 'Draft',
  CONFIRMED: 'To Deliver and Bill',
  IN_PRODUCTION: 'To Deliver and Bill',
  SHIPPED: 'To Bill',
  INVOICED: 'Completed',
  CLOSED: 'Closed',
  CANCELLED: 'Cancelled',
};

const invoiceStatusFrom = new Map(Object.entries(INVOICE_STATUS_TO_ERPNEXT).map(([forge, erp]) => [erp, forge as InvoiceStatus]));
const purchaseStatusFrom = new Map(
  Object.entries(PURCHASE_ORDER_STATUS_TO_ERPNEXT).flatMap(([forge, names]) => names.map((erp) => [erp, forge as PurchaseOrderStatus] as const)),
);

const str = (value: unknown): string => (value === null || value === undefined ? '' : String(value));
const num = (value: unknown): number => (typeof value === 'number' ? value : Number(value ?? 0));

export function toCustomer(doc: Doc): CustomerRecord {
  return {
    id: str(doc.forge_id),
    erpReference: str(doc.name),
    name: str(doc.customer_name),
    country: str(doc.forge_country),
    creditLimit: num(doc.credit_limit),
    currency: str(doc.default_currency),
  };
}

export function toProduct(doc: Doc): ProductRecord {
  return {
    sku: str(doc.item_code ?? doc.name),
    erpReference: str(doc.name),
    name: str(doc.item_name),
    unitOfMeasure: str(doc.stock_uom),
    listPrice: num(doc.standard_rate),
    standardCost: num(doc.valuation_rate),
    currency: str(doc.forge_currency),
    onHand: num(doc.forge_on_hand),
    reorderPoint: num(doc.safety_stock),
  };
}

/** Order lines from child rows (`idx` is ERPNext's 1-based row number, forge's lineNo). */
export function toLines(rows: readonly Doc[]): SalesOrderLineRecord[] {
  return [...rows]
    .sort((a, b) => num(a.idx) - num(b.idx))
    .map((row) => ({ lineNo: num(row.idx), sku: str(row.item_code), quantity: num(row.qty), unitPrice: num(row.rate) }));
}

export function toSalesOrder(doc: Doc, items: readonly Doc[]): SalesOrderRecord {
  return {
    id: str(doc.forge_id),
    erpReference: str(doc.name),
    number: str(doc.forge_number),
    customerId: str(doc.forge_customer),
    status: str(doc.forge_status) as SalesOrderStatus,
    orderedAt: fromFrappeDatetime(doc.transaction_date),
    dueDate: fromFrappeDatetime(doc.delivery_date),
    currency: str(doc.currency),
    lines: toLines(items),
  };
}

export function toShipment(doc: Doc, items: readonly Doc[]): ShipmentRecord {
  return {
    id: str(doc.forge_id),
    erpReference: str(doc.name),
    salesOrderId: str(doc.forge_sales_order),
    shippedAt: fromFrappeDatetime(doc.posting_date),
    lots: [...items].sort((a, b) => num(a.idx) - num(b.idx)).map((row) => ({ lotNumber: str(row.batch_no), quantity: num(row.qty) })),
  };
}

export function toInvoice(doc: Doc): InvoiceRecord {
  return {
    id: str(doc.forge_id),
    erpReference: str(doc.name),
    number: str(doc.forge_number),
    salesOrderId: str(doc.forge_sales_order),
    amount: num(doc.grand_total),
    currency: str(doc.currency),
    status: invoiceStatusFrom.get(str(doc.status)) ?? 'DRAFT',
    issuedAt: fromFrappeDatetime(doc.posting_date),
    dueAt: fromFrappeDatetime(doc.due_date),
  };
}

export function toSupplier(doc: Doc): SupplierRecord {
  return { id: str(doc.forge_id), erpReference: str(doc.name), name: str(doc.supplier_name), country: str(doc.country) };
}

export function toPurchaseOrder(doc: Doc, items: readonly Doc[]): PurchaseOrderRecord {
  return {
    id: str(doc.forge_id),
    erpReference: str(doc.name),
    number: str(doc.forge_number),
    supplierId: str(doc.forge_supplier),
    status: purchaseStatusFrom.get(str(doc.status)) ?? 'DRAFT',
    orderedAt: fromFrappeDatetime(doc.transaction_date),
    expectedAt: fromFrappeDatetime(doc.schedule_date),
    currency: str(doc.currency),
    lines: toLines(items),
  };
}
