import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { ErpContext } from './context';
import { Invoice } from './finance/invoice';
import { WorkOrder } from './finance/work-order';
import { Customer } from './orders/customer';
import { MaterialLot } from './orders/material-lot';
import { Product } from './orders/product';
import { SalesOrder } from './orders/sales-order';
import { Shipment } from './orders/shipment';
import { PurchaseOrder } from './procurement/purchase-order';
import { Supplier } from './procurement/supplier';

/**
 * How `_entities` turns a representation into an object, one per `@key` type. Everything goes through the
 * request's loaders, so a gateway batch of 500 representations is one backend call; an unknown key gives null.
 */
const referenceResolvers = {
  Customer: async ({ id }: { id: string }, { loaders }: ErpContext) => {
    const record = await loaders.customers.load(id);
    return record && Customer.fromRecord(record);
  },
  Product: async ({ sku }: { sku: string }, { loaders }: ErpContext) => {
    const record = await loaders.products.load(sku);
    return record && Product.fromRecord(record);
  },
  SalesOrder: async ({ id }: { id: string }, { loaders }: ErpContext) => {
    const record = await loaders.salesOrders.load(id);
    return record && SalesOrder.fromRecord(record);
  },
  Shipment: async ({ id }: { id: string }, { loaders }: ErpContext) => {
    const record = await loaders.shipments.load(id);
    return record && Shipment.fromRecord(record);
  },
  Invoice: async ({ id }: { id: string }, { loaders }: ErpContext) => {
    const record = await loaders.invoices.load(id);
    return record && Invoice.fromRecord(record);
  },
  Supplier: async ({ id }: { id: string }, { loaders }: ErpContext) => {
    const record = await loaders.suppliers.load(id);
    return record && Supplier.fromRecord(record);
  },
  PurchaseOrder: async ({ id }: { id: string }, { loaders }: ErpContext) => {
    const record = await loaders.purchaseOrders.load(id);
    return record && PurchaseOrder.fromRecord(record);
  },
  // Owned by the MES: the representation is all ERP needs (the key, plus the @requires fields for costs).
  WorkOrder: (representation: Partial<WorkOrder> & Pick<WorkOrder, 'id'>) => WorkOrder.fromRepresentation(representation),
  MaterialLot: ({ lotNumber }: { lotNumber: string }) => MaterialLot.of(lotNumber),
};

/** In the shape buildFederatedSchema merges into the resolver map. */
export function erpReferenceResolvers(): GraphQLResolverMap<unknown> {
  const map = Object.fromEntries(
    Object.entries(referenceResolvers).map(([typeName, resolve]) => [typeName, { __resolveReference: resolve }]),
  );
  // __resolveReference is (representation, context, info), not a field resolver's signature; @apollo/subgraph knows.
  return map as unknown as GraphQLResolverMap<unknown>;
}
