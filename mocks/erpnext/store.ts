import { DocType, SALES_ORDER_STATUS_TO_ERPNEXT, toFrappeDatetime as dt, type Doc } from '../../subgraphs/erp/backend/erpnext/doctypes';
import { SALES_ORDER_STATUSES, type SalesOrderStatus } from '../../subgraphs/erp/backend/erp-backend';
import type { Clock } from '../../subgraphs/common/clock';
import { Sequence, YearlySeries } from '../dataset/ids';
import { lineAmount, sumAmounts } from '../../subgraphs/erp/money';
import { CHILD_TABLES, childRow, docstatusOf, type Tables } from './documents';

/** A refused write, answered 417 with ERPNext's `exc_type` and `_server_messages`. */
export class ValidationFailure extends Error {
  constructor(
    readonly excType: string,
    message: string,
  ) {
    super(message);
  }
}

interface Series {
  name: YearlySeries;
  id: Sequence;
  number: YearlySeries;
}

/**
 * The documents and the writes ERPNext would do on insert: naming series for `name`, the Server Script that
 * sets `forge_id` / `forge_number`, Fetch-From copies of linked ids, Link and mandatory-field validation, and
 * `modified` checks on update. Creates behave like InMemoryErpBackend's (same ids, numbers, initial status).
 */
export class FakeErpNextStore {
  private readonly series: Record<string, Series>;
  private lastModified = 0;

  constructor(
    readonly tables: Tables,
    private readonly clock: Clock,
  ) {
    const names = (doctype: string, field: string) => this.table(doctype).map((d) => String(d[field]));
    this.series = {
      [DocType.salesOrder]: {
        name: YearlySeries.after('SAL-ORD', 5, names(DocType.salesOrder, 'name')),
        id: Sequence.after('SO', 6, names(DocType.salesOrder, 'forge_id')),
        number: YearlySeries.after('SO', 5, names(DocType.salesOrder, 'forge_number')),
      },
      [DocType.purchaseOrder]: {
        name: YearlySeries.after('PUR-ORD', 5, names(DocType.purchaseOrder, 'name')),
        id: Sequence.after('PO', 6, names(DocType.purchaseOrder, 'forge_id')),
        number: YearlySeries.after('PO', 5, names(DocType.purchaseOrder, 'forge_number')),
      },
    };
  }

  table(doctype: string): Doc[] {
    return this.tables.get(doctype) ?? [];
  }

  has(doctype: string): boolean {
    return this.tables.has(doctype) || doctype in CHILD_TABLES;
  }

  /** Rows of a child DocType, flattened out of their parents. */
  childRows(childType: string): Doc[] {
    const parentType = CHILD_TABLES[childType];
    if (!parentType) return [];
    return this.table(parentType).flatMap((doc) => (Array.isArray(doc.items) ? (doc.items as Doc[]) : []));
  }

  find(doctype: string, name: string): Doc | undefined {
    return this.table(doctype).find((d) => d.name === name);
  }

  insert(doctype: string, body: Doc): Doc {
    if (doctype === DocType.salesOrder) return this.insertOrder(doctype, body, 'customer', DocType.customer, 'delivery_date');
    if (doctype === DocType.purchaseOrder) return this.insertOrder(doctype, body, 'supplier', DocType.supplier, 'schedule_date');
    throw new ValidationFailure('PermissionError', `Not permitted: this fake creates only Sales Order and Purchase Order, not ${doctype}`);
  }

  /** PUT: only `forge_status` (and the matching `status`) of a Sales Order, guarded by `modified`. */
  update(doctype: string, name: string, body: Doc): Doc | undefined {
    const doc = this.find(doctype, name);
    if (!doc) return undefined;
    if (body.modified !== undefined && body.modified !== doc.modified) {
      throw new ValidationFailure('TimestampMismatchError', 'Error: Document has been modified after you have opened it. Please refresh to get the latest document.');
    }
    if (doctype !== DocType.salesOrder) throw new ValidationFailure('PermissionError', `Not permitted: this fake updates only Sales Order`);
    const status = body.forge_status;
    if (!SALES_ORDER_STATUSES.includes(status as SalesOrderStatus)) throw new ValidationFailure('ValidationError', `Invalid forge_status: ${String(status)}`);
    const next: Doc = { ...doc, forge_status: status, status: SALES_ORDER_STATUS_TO_ERPNEXT[status as SalesOrderStatus], modified: this.stamp() };
    next.docstatus = docstatusOf(status as SalesOrderStatus);
    this.replace(doctype, next);
    return next;
  }

  private insertOrder(doctype: string, body: Doc, linkField: string, linkType: string, dateField: string): Doc {
    const party = this.table(linkType).find((d) => d.name === body[linkField]);
    if (!party) throw new ValidationFailure('LinkValidationError', `Could not find ${linkType}: ${String(body[linkField])}`);
    if (typeof body[dateField] !== 'string' || Number.isNaN(Date.parse(String(body[dateField]).replace(' ', 'T') + 'Z'))) {
      throw new ValidationFailure('MandatoryError', `[${doctype}]: ${dateField}`);
    }
    const items = Array.isArray(body.items) ? (body.items as Doc[]) : [];
    if (items.length === 0) throw new ValidationFailure('MandatoryError', `[${doctype}]: items`);
    items.forEach((item, i) => {
      if (!this.find(DocType.item, String(item.item_code))) throw new ValidationFailure('LinkValidationError', `Row #${i + 1}: Could not find Item: ${String(item.item_code)}`);
      if (!(Number(item.qty) > 0)) throw new ValidationFailure('ValidationError', `Row #${i + 1}: Quantity must be greater than zero`);
    });

    const now = this.clock().getTime();
    const series = this.series[doctype]!;
    const name = series.name.next(now);
    const isSales = doctype === DocType.salesOrder;
    const docstatus = isSales ? 0 : Number(body.docstatus ?? 0);
    const stamp = this.stamp();
    const doc: Doc = {
      name,
      owner: 'Administrator',
      creation: dt(new Date(now).toISOString()),
      modified: stamp,
      docstatus,
      forge_id: series.id.next(),
      forge_number: series.number.next(now),
      [linkField]: party.name,
      [isSales ? 'forge_customer' : 'forge_supplier']: party.forge_id,
      transaction_date: dt(new Date(now).toISOString()),
      [dateField]: dt(String(body[dateField]).replace(' ', 'T') + 'Z'),
      currency: body.currency,
      forge_idempotency_key: body.forge_idempotency_key ?? null,
      items: items.map((item, i) =>
        childRow(doctype, name, i + 1, { item_code: item.item_code, qty: Number(item.qty), rate: Number(item.rate), amount: lineAmount(Number(item.qty), Number(item.rate)) }),
      ),
    };
    if (isSales) Object.assign(doc, { forge_status: 'DRAFT', status: 'Draft' });
    else doc.status = docstatus === 1 ? 'To Receive and Bill' : 'Draft';
    doc.grand_total = sumAmounts((doc.items as Doc[]).map((row) => Number(row.amount)));
    this.table(doctype).push(doc);
    return doc;
  }

  private replace(doctype: string, doc: Doc): void {
    const table = this.table(doctype);
    table[table.findIndex((d) => d.name === doc.name)] = doc;
  }

  /** `modified` must change on every write, even two in one millisecond, or optimistic locking misses one. */
  private stamp(): string {
    this.lastModified = Math.max(Date.now(), this.lastModified + 1);
    return dt(new Date(this.lastModified).toISOString());
  }
}
