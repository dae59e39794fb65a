import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../common/federated-schema';
import { InvoiceResolver } from './finance/invoice.resolver';
import { WorkOrder } from './finance/work-order';
import { WorkOrderCostResolver } from './finance/work-order-cost.resolver';
import { CustomerResolver } from './orders/customer.resolver';
import { MaterialLot } from './orders/material-lot';
import { MaterialLotResolver } from './orders/material-lot.resolver';
import { ProductResolver } from './orders/product.resolver';
import { SalesOrderLineResolver } from './orders/sales-order-line.resolver';
import { SalesOrderResolver } from './orders/sales-order.resolver';
import { ShipmentResolver } from './orders/shipment.resolver';
import { PurchaseOrderLineResolver } from './procurement/purchase-order-line.resolver';
import { PurchaseOrderResolver } from './procurement/purchase-order.resolver';
import { SupplierResolver } from './procurement/supplier.resolver';
import { erpReferenceResolvers } from './references';

const ERP_RESOLVERS = [
  CustomerResolver,
  ProductResolver,
  SalesOrderResolver,
  SalesOrderLineResolver,
  ShipmentResolver,
  MaterialLotResolver,
  InvoiceResolver,
  WorkOrderCostResolver,
  SupplierResolver,
  PurchaseOrderResolver,
  PurchaseOrderLineResolver,
] as const;

/** The ERP subgraph schema: type-graphql classes of orders/, finance/ and procurement/, federated. */
export function buildErpSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    {
      resolvers: [...ERP_RESOLVERS],
      // Reachable only through `_entities`, so type-graphql would not emit them on its own.
      orphanedTypes: [WorkOrder, MaterialLot],
    },
    erpReferenceResolvers(),
  );
}
