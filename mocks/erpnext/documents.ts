import {
  DocType,
  INVOICE_STATUS_TO_ERPNEXT,
  PURCHASE_ORDER_STATUS_TO_ERPNEXT,
  SALES_ORDER_STATUS_TO_ERPNEXT,
  toFrappeDatetime as dt,
  type Doc,
} from '../../subgraphs/erp/backend/erpnext/doctypes';
import type { World } from '../dataset/world';
import { lineAmount } from '../../subgraphs/erp/money';
import { orderTotal } from '../dataset/sales-orders';

/**
 * The ERP half of a seeded World as ERPNext documents, with the custom fields the adapter expects (see
 * subgraphs/erp/backend/erpnext/doctypes.ts). Child rows live inside their parent's `items`, as in ERPNext.
 */
export type Tables = Map<string, Doc[]>;

/** Child DocType → its parent DocType (all child tables here are the parent's `items` field). */
export const CHILD_TABLES: Record<string, string> = {
  [DocType.salesOrderItem]: DocType.salesOrder,
  [DocType.deliveryNoteItem]: DocType.deliveryNote,
  [DocType.purchaseOrderItem]: DocType.purchaseOrder,
};

const STANDARD = (name: string, at: string) => ({ name, owner: 'Administrator', creation: dt(at), modified: dt(at), docstatus: 1 });

export function childRow(parentType: string, parent: string, idx: number, fields: Doc): Doc {
  return { name: `${parent}-row-${idx}`, parent, parenttype: parentType, parentfield: 'items', idx, docstatus: 1, ...fields };
}

export function worldTables(world: World): Tables {
  const erp = world.erp;
  const anchor = world.anchor;
  const customers = new Map(erp.customers.map((c) => [c.id, c]));
  const suppliers = new Map(erp.suppliers.map((s) => [s.id, s]));
  const orders = new Map(erp.salesOrders.map((o) => [o.id, o]));
  const lotSku = new Map(world.mes.lots.map((lot) => [lot.lotNumber, lot.sku]));
  const tables: Tables = new Map();

  tables.set(
    DocType.customer,
    erp.customers.map((c) => ({
      ...STANDARD(c.erpReference, anchor),
      docstatus: 0,
      forge_id: c.id,
      customer_name: c.name,
      customer_type: 'Company',
      forge_country: c.country,
      credit_limit: c.creditLimit,
      default_currency: c.currency,
    })),
  );
  tables.set(
    DocType.item,
    erp.products.map((p) => ({
      ...STANDARD(p.erpReference, anchor),
      docstatus: 0,
      item_code: p.sku,
      item_name: p.name,
      stock_uom: p.unitOfMeasure,
      standard_rate: p.listPrice,
      valuation_rate: p.standardCost,
      forge_currency: p.currency,
      forge_on_hand: p.onHand,
      safety_stock: p.reorderPoint,
    })),
  );
  tables.set(
    DocType.supplier,
    erp.suppliers.map((s) => ({ ...STANDARD(s.erpReference, anchor), docstatus: 0, forge_id: s.id, supplier_name: s.name, country: s.country })),
  );
  tables.set(
    DocType.salesOrder,
    erp.salesOrders.map((o) => ({
      ...STANDARD(o.erpReference, o.orderedAt),
      docstatus: docstatusOf(o.status),
      forge_id: o.id,
      forge_number: o.number,
      customer: customers.get(o.customerId)?.erpReference ?? o.customerId,
      forge_customer: o.customerId,
      forge_status: o.status,
      status: SALES_ORDER_STATUS_TO_ERPNEXT[o.status],
      transaction_date: dt(o.orderedAt),
      delivery_date: dt(o.dueDate),
      currency: o.currency,
      grand_total: orderTotal(o),
      items: o.lines.map((l) =>
        childRow(DocType.salesOrder, o.erpReference, l.lineNo, {
          item_code: l.sku,
          qty: l.quantity,
          rate: l.unitPrice,
          amount: lineAmount(l.quantity, l.unitPrice),
          delivery_date: dt(o.dueDate),
        }),
      ),
    })),
  );
  tables.set(
    DocType.deliveryNote,
    erp.shipments.map((s) => {
      const order = orders.get(s.salesOrderId);
      return {
        ...STANDARD(s.erpReference, s.shippedAt),
        forge_id: s.id,
        customer: order ? (customers.get(order.customerId)?.erpReference ?? '') : '',
        forge_sales_order: s.salesOrderId,
        posting_date: dt(s.shippedAt),
        items: s.lots.map((lot, i) =>
          childRow(DocType.deliveryNote, s.erpReference, i + 1, {
            item_code: lotSku.get(lot.lotNumber) ?? '',
            qty: lot.quantity,
            batch_no: lot.lotNumber,
            against_sales_order: order?.erpReference ?? '',
          }),
        ),
      };
    }),
  );
  tables.set(
    DocType.salesInvoice,
    erp.invoices.map((i) => {
      const order = orders.get(i.salesOrderId);
      return {
        ...STANDARD(i.erpReference, i.issuedAt),
        docstatus: docstatusOf(i.status),
        forge_id: i.id,
        forge_number: i.number,
        customer: order ? (customers.get(order.customerId)?.erpReference ?? '') : '',
        forge_sales_order: i.salesOrderId,
        posting_date: dt(i.issuedAt),
        due_date: dt(i.dueAt),
        grand_total: i.amount,
        outstanding_amount: i.status === 'PAID' || i.status === 'CANCELLED' ? 0 : i.amount,
        currency: i.currency,
        status: INVOICE_STATUS_TO_ERPNEXT[i.status],
      };
    }),
  );
  tables.set(
    DocType.purchaseOrder,
    erp.purchaseOrders.map((o) => ({
      ...STANDARD(o.erpReference, o.orderedAt),
      docstatus: docstatusOf(o.status),
      forge_id: o.id,
      forge_number: o.number,
      supplier: suppliers.get(o.supplierId)?.erpReference ?? o.supplierId,
      forge_supplier: o.supplierId,
      status: PURCHASE_ORDER_STATUS_TO_ERPNEXT[o.status][0],
      transaction_date: dt(o.orderedAt),
      schedule_date: dt(o.expectedAt),
      currency: o.currency,
      items: o.lines.map((l) =>
        childRow(DocType.purchaseOrder, o.erpReference, l.lineNo, { item_code: l.sku, qty: l.quantity, rate: l.unitPrice, schedule_date: dt(o.expectedAt) }),
      ),
    })),
  );
  return tables;
}

/** ERPNext's docstatus: 0 draft, 1 submitted, 2 cancelled. */
export const docstatusOf = (status: string): 0 | 1 | 2 => (status === 'DRAFT' ? 0 : status === 'CANCELLED' ? 2 : 1);
