import type { PurchaseOrderRecord, SalesOrderRecord, ShipmentRecord } from '../erp-backend';
import { DocType, Fields, toPurchaseOrder, toSalesOrder, toShipment, type Doc } from './doctypes';
import { rowsByParent } from './keyed';
import type { ResourceClient } from './resource-client';

const BY_FORGE_ID = 'forge_id asc';

/**
 * Documents with child tables (orders, delivery notes). A list GET returns header fields only, and a GET per
 * document would cost one call per order; so the rows come from the child DocType in one `parent in […]` call
 * (Frappe allows that read with `parent=<parent DocType>`).
 */
export class OrderDocuments {
  constructor(private readonly resources: ResourceClient) {}

  async salesOrdersWhere(field: string, values: readonly string[]): Promise<SalesOrderRecord[]> {
    if (values.length === 0) return [];
    const docs = await this.resources.whereIn(DocType.salesOrder, field, values, { fields: Fields.salesOrder, orderBy: BY_FORGE_ID });
    return this.withSalesOrderLines(docs);
  }

  async withSalesOrderLines(docs: readonly Doc[]): Promise<SalesOrderRecord[]> {
    const items = await this.children(DocType.salesOrderItem, DocType.salesOrder, Fields.orderItem, docs);
    return docs.map((doc) => toSalesOrder(doc, items.get(String(doc.name)) ?? []));
  }

  async shipmentsWhere(field: string, values: readonly string[]): Promise<ShipmentRecord[]> {
    if (values.length === 0) return [];
    const docs = await this.resources.whereIn(DocType.deliveryNote, field, values, { fields: Fields.deliveryNote, orderBy: BY_FORGE_ID });
    const items = await this.children(DocType.deliveryNoteItem, DocType.deliveryNote, Fields.deliveryNoteItem, docs);
    return docs.map((doc) => toShipment(doc, items.get(String(doc.name)) ?? []));
  }

  async purchaseOrdersWhere(field: string, values: readonly string[]): Promise<PurchaseOrderRecord[]> {
    if (values.length === 0) return [];
    const docs = await this.resources.whereIn(DocType.purchaseOrder, field, values, { fields: Fields.purchaseOrder, orderBy: BY_FORGE_ID });
    return this.withPurchaseOrderLines(docs);
  }

  async withPurchaseOrderLines(docs: readonly Doc[]): Promise<PurchaseOrderRecord[]> {
    const items = await this.children(DocType.purchaseOrderItem, DocType.purchaseOrder, Fields.orderItem, docs);
    return docs.map((doc) => toPurchaseOrder(doc, items.get(String(doc.name)) ?? []));
  }

  /** Child rows of `parents`, by parent name; no call when there are no parents. */
  private async children(childType: string, parentType: string, fields: readonly string[], parents: readonly Doc[]): Promise<Map<string, Doc[]>> {
    if (parents.length === 0) return new Map();
    const rows = await this.resources.whereIn(
      childType,
      'parent',
      parents.map((d) => String(d.name)),
      { fields, orderBy: 'parent asc, idx asc', parent: parentType },
    );
    return rowsByParent(rows);
  }
}
