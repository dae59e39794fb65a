import DataLoader from 'dataloader';
import type {
  CustomerRecord,
  ErpBackend,
  InvoiceRecord,
  ProductRecord,
  PurchaseOrderRecord,
  SalesOrderRecord,
  ShipmentRecord,
  SupplierRecord,
} from './backend/erp-backend';

/**
 * One set per request (built in the context factory): a query touching 500 orders asks the backend once per
 * kind of record, and nothing is cached beyond the request, so a write is visible to the next one.
 */
export interface ErpLoaders {
  customers: DataLoader<string, CustomerRecord | null>;
  products: DataLoader<string, ProductRecord | null>;
  salesOrders: DataLoader<string, SalesOrderRecord | null>;
  shipments: DataLoader<string, ShipmentRecord | null>;
  shipmentsBySalesOrder: DataLoader<string, ShipmentRecord[]>;
  shipmentsByLot: DataLoader<string, ShipmentRecord[]>;
  invoices: DataLoader<string, InvoiceRecord | null>;
  invoicesBySalesOrder: DataLoader<string, InvoiceRecord[]>;
  suppliers: DataLoader<string, SupplierRecord | null>;
  purchaseOrders: DataLoader<string, PurchaseOrderRecord | null>;
}

export function createErpLoaders(backend: ErpBackend): ErpLoaders {
  const shipments = new DataLoader<string, ShipmentRecord | null>((ids) => backend.getShipments(ids));
  const invoices = new DataLoader<string, InvoiceRecord | null>((ids) => backend.getInvoices(ids));

  return {
    customers: new DataLoader((ids) => backend.getCustomers(ids)),
    products: new DataLoader((skus) => backend.getProducts(skus)),
    salesOrders: new DataLoader((ids) => backend.getSalesOrders(ids)),
    shipments,
    // Records found through a relation are primed by id too: a later `shipment(id)` in the same request is free.
    shipmentsBySalesOrder: new DataLoader(async (orderIds) =>
      primeGroups(shipments, await backend.getShipmentsBySalesOrders(orderIds), (s) => s.id),
    ),
    shipmentsByLot: new DataLoader(async (lotNumbers) =>
      primeGroups(shipments, await backend.getShipmentsByLots(lotNumbers), (s) => s.id),
    ),
    invoices,
    invoicesBySalesOrder: new DataLoader(async (orderIds) =>
      primeGroups(invoices, await backend.getInvoicesBySalesOrders(orderIds), (i) => i.id),
    ),
    suppliers: new DataLoader((ids) => backend.getSuppliers(ids)),
    purchaseOrders: new DataLoader((ids) => backend.getPurchaseOrders(ids)),
  };
}

/** Seed a by-key loader with records a list query already fetched. */
export function primeAll<V>(loader: DataLoader<string, V | null>, records: readonly V[], key: (record: V) => string): void {
  for (const record of records) loader.prime(key(record), record);
}

/** Replace what a loader holds for a key after a write changed the record. */
export function reprime<V>(loader: DataLoader<string, V | null>, key: string, record: V): void {
  loader.clear(key).prime(key, record);
}

function primeGroups<V>(loader: DataLoader<string, V | null>, groups: V[][], key: (record: V) => string): V[][] {
  for (const group of groups) primeAll(loader, group, key);
  return groups;
}
