import { badUserInput, notFound } from '../../../common/errors';
import type { NewPurchaseOrder, NewSalesOrder, PurchaseOrderRecord, SalesOrderRecord, SalesOrderStatus } from '../erp-backend';
import { DocType, SALES_ORDER_STATUS_TO_ERPNEXT, toFrappeDatetime, toPurchaseOrder, toSalesOrder, type Doc } from './doctypes';
import { errorForStatus } from './errors';
import { HttpStatusError } from './http-client';
import type { OrderDocuments } from './order-documents';
import type { ResourceClient } from './resource-client';

/**
 * Creates and status changes. ERPNext has no idempotency keys, so a key is stored on the document
 * (`forge_idempotency_key`) and looked up before inserting: a retry after a lost answer finds the first order.
 * Concurrent attempts with one key in this process share one create (single flight). Two ERP subgraph
 * instances racing with one key could still both insert: a unique constraint on the custom field closes that
 * window in a real deployment, and the second insert then fails instead of duplicating.
 */
export class ErpNextWrites {
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly resources: ResourceClient,
    private readonly orders: OrderDocuments,
  ) {}

  createSalesOrder(input: NewSalesOrder, idempotencyKey?: string): Promise<SalesOrderRecord> {
    return this.singleFlight(`so:${idempotencyKey}`, idempotencyKey, () => this.insertSalesOrder(input, idempotencyKey));
  }

  private async insertSalesOrder(input: NewSalesOrder, idempotencyKey?: string): Promise<SalesOrderRecord> {
    if (idempotencyKey !== undefined) {
      const [earlier] = await this.orders.salesOrdersWhere('forge_idempotency_key', [idempotencyKey]);
      if (earlier) return earlier;
    }
    const dueDate = frappeInput(input.dueDate, 'input.dueDate');
    const customer = await this.linkedName(DocType.customer, input.customerId, 'input.customerId');
    const doc = await this.resources.insert(DocType.salesOrder, {
      customer,
      delivery_date: dueDate,
      currency: input.currency,
      forge_idempotency_key: idempotencyKey,
      items: input.lines.map((line) => ({ item_code: line.sku, qty: line.quantity, rate: line.unitPrice })),
    });
    return toSalesOrder(doc, childRows(doc));
  }

  /**
   * Compare-and-set through Frappe's optimistic locking: the update carries the `modified` stamp that was
   * read, and ERPNext refuses it (417 TimestampMismatchError) when another write came between.
   */
  async transitionSalesOrder(id: string, from: SalesOrderStatus, to: SalesOrderStatus): Promise<SalesOrderRecord | null> {
    const [current] = await this.resources.whereIn(DocType.salesOrder, 'forge_id', [id], { fields: ['name', 'forge_status', 'modified'], orderBy: 'name asc' });
    if (!current || current.forge_status !== from) return null;
    const answer = await this.resources.update(DocType.salesOrder, String(current.name), {
      forge_status: to,
      status: SALES_ORDER_STATUS_TO_ERPNEXT[to],
      modified: current.modified,
    });
    if (answer instanceof HttpStatusError) {
      if (answer.status === 404 || answer.body?.exc_type === 'TimestampMismatchError') return null;
      throw errorForStatus(answer.status, answer.body, `update Sales Order ${String(current.name)}`);
    }
    return toSalesOrder(answer.data, childRows(answer.data));
  }

  createPurchaseOrder(input: NewPurchaseOrder, idempotencyKey?: string): Promise<PurchaseOrderRecord> {
    return this.singleFlight(`po:${idempotencyKey}`, idempotencyKey, () => this.insertPurchaseOrder(input, idempotencyKey));
  }

  private async insertPurchaseOrder(input: NewPurchaseOrder, idempotencyKey?: string): Promise<PurchaseOrderRecord> {
    if (idempotencyKey !== undefined) {
      const [earlier] = await this.orders.purchaseOrdersWhere('forge_idempotency_key', [idempotencyKey]);
      if (earlier) return earlier;
    }
    const expectedAt = frappeInput(input.expectedAt, 'input.expectedAt');
    const supplier = await this.linkedName(DocType.supplier, input.supplierId, 'input.supplierId');
    const doc = await this.resources.insert(DocType.purchaseOrder, {
      supplier,
      schedule_date: expectedAt,
      currency: input.currency,
      // Created submitted: forge has no separate submit step for purchase orders.
      docstatus: 1,
      forge_idempotency_key: idempotencyKey,
      items: input.lines.map((line) => ({ item_code: line.sku, qty: line.quantity, rate: line.unitPrice, schedule_date: expectedAt })),
    });
    return toPurchaseOrder(doc, childRows(doc));
  }

  private singleFlight<T>(flight: string, idempotencyKey: string | undefined, create: () => Promise<T>): Promise<T> {
    if (idempotencyKey === undefined) return create();
    const running = this.inFlight.get(flight) as Promise<T> | undefined;
    if (running) return running;
    const attempt = create().finally(() => this.inFlight.delete(flight));
    this.inFlight.set(flight, attempt);
    return attempt;
  }

  /** The ERPNext `name` a Link field needs, for a forge id; an unknown id is the caller's input error. */
  private async linkedName(doctype: string, forgeId: string, field: string): Promise<string> {
    const [doc] = await this.resources.whereIn(doctype, 'forge_id', [forgeId], { fields: ['name'], orderBy: 'name asc' });
    if (!doc) throw notFound(doctype, forgeId, field);
    return String(doc.name);
  }
}

const childRows = (doc: Doc): Doc[] => (Array.isArray(doc.items) ? (doc.items as Doc[]) : []);

/** Checked before any call, with the same error as the in-memory backend gives. */
function frappeInput(value: string, field: string): string {
  if (Number.isNaN(Date.parse(value))) throw badUserInput(`"${value}" is not an ISO-8601 date-time`, field);
  return toFrappeDatetime(value);
}
