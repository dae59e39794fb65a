import { boundBackend } from '../common/backend-wrapping';
import { pageOf } from '../common/paging';
import type { PageResult } from '../common/paging';
import { forbidden } from '../common/identity';
import type { ErpBackend, InvoiceRecord, SalesOrderRecord, ShipmentRecord } from './backend/erp-backend';

const EMPTY: PageResult<never> = { items: [], totalCount: 0 };

/**
 * The ERP as a partner (identity `tenant` = its customer id) may see it: its own customer, its sales orders and
 * their shipments and invoices; products (the catalogue) unchanged; no other customer, order, shipment or invoice,
 * no supplier or purchase order. Everything reads through this wrapper (loaders, lists, `_entities`), so a row
 * is hidden wherever it is reached from: by id, in a list, through a relation or a reference. A hidden row is
 * null (by id) or absent (lists, relations). Writes: a partner may only order for itself.
 */
export function tenantScopedErpBackend(backend: ErpBackend, tenant: string): ErpBackend {
  const owned = (order: SalesOrderRecord | null): order is SalesOrderRecord => order !== null && order.customerId === tenant;
  const ownedOrderIds = async (ids: readonly string[]): Promise<Set<string>> => {
    const unique = [...new Set(ids)];
    const orders = await backend.getSalesOrders(unique);
    return new Set(orders.filter(owned).map((o) => o.id));
  };
  const keepOwned = async <T extends ShipmentRecord | InvoiceRecord>(records: (T | null)[]): Promise<(T | null)[]> => {
    const ids = await ownedOrderIds(records.flatMap((r) => (r ? [r.salesOrderId] : [])));
    return records.map((r) => (r && ids.has(r.salesOrderId) ? r : null));
  };
  const keepOwnedGroups = async <T extends ShipmentRecord | InvoiceRecord>(groups: T[][]): Promise<T[][]> => {
    const ids = await ownedOrderIds(groups.flat().map((r) => r.salesOrderId));
    return groups.map((group) => group.filter((r) => ids.has(r.salesOrderId)));
  };
  /** Every order of the tenant (a partner has few); used where the backend cannot filter by customer. */
  const allOwnedOrders = async (): Promise<SalesOrderRecord[]> => {
    const orders: SalesOrderRecord[] = [];
    for (let offset = 0; ; offset += 1000) {
      const page = await backend.listSalesOrders({ customerId: tenant }, { offset, limit: 1000 });
      orders.push(...page.items);
      if (page.items.length < 1000 || orders.length >= page.totalCount) return orders;
    }
  };

  return {
    ...boundBackend(backend),
    getCustomers: async (ids) => (await backend.getCustomers(ids)).map((c) => (c && c.id === tenant ? c : null)),
    listCustomers: async (filter, page) => {
      const [own] = await backend.getCustomers([tenant]);
      const items = own && (!filter.country || own.country === filter.country) ? [own] : [];
      return pageOf(items, page);
    },
    getSalesOrders: async (ids) => (await backend.getSalesOrders(ids)).map((o) => (owned(o) ? o : null)),
    listSalesOrders: (filter, page) =>
      filter.customerId && filter.customerId !== tenant ? Promise.resolve(EMPTY) : backend.listSalesOrders({ ...filter, customerId: tenant }, page),
    getShipments: async (ids) => keepOwned(await backend.getShipments(ids)),
    getShipmentsBySalesOrders: async (ids) => keepOwnedGroups(await backend.getShipmentsBySalesOrders(ids)),
    getShipmentsByLots: async (lots) => keepOwnedGroups(await backend.getShipmentsByLots(lots)),
    getInvoices: async (ids) => keepOwned(await backend.getInvoices(ids)),
    getInvoicesBySalesOrders: async (ids) => keepOwnedGroups(await backend.getInvoicesBySalesOrders(ids)),
    listInvoices: async (filter, page) => {
      const orderIds = (await allOwnedOrders()).map((o) => o.id).filter((id) => !filter.salesOrderId || id === filter.salesOrderId);
      const invoices = (await backend.getInvoicesBySalesOrders(orderIds)).flat().filter((i) => !filter.status || i.status === filter.status);
      return pageOf(invoices.sort((a, b) => a.id.localeCompare(b.id)), page);
    },
    getSuppliers: async (ids) => ids.map(() => null),
    listSuppliers: async () => EMPTY,
    getPurchaseOrders: async (ids) => ids.map(() => null),
    listPurchaseOrders: async () => EMPTY,
    createSalesOrder: (input, key) => {
      if (input.customerId !== tenant) throw forbidden('a partner may only order for itself');
      return backend.createSalesOrder(input, key);
    },
    transitionSalesOrder: async (id, from, to) => {
      const [order] = await backend.getSalesOrders([id]);
      if (!owned(order)) throw forbidden('a partner may only change its own orders');
      return backend.transitionSalesOrder(id, from, to);
    },
    createPurchaseOrder: () => {
      throw forbidden('a partner may not place purchase orders');
    },
  };
}
