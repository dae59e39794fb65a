import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { GraphQLSchema } from 'graphql';
import { buildFederatedSchema } from '../common/federated-schema';
// Registers the enum types before any class that uses them is built.
import './enums';
import { MachineResolver } from './equipment/machine.resolver';
import { MaterialLotResolver } from './production/material-lot.resolver';
import { OperationResolver } from './production/operation.resolver';
import { ProductResolver } from './production/product.resolver';
import { ProductionReportResolver } from './production/production-report.resolver';
import { SalesOrderResolver } from './production/sales-order.resolver';
import { WorkOrderResolver } from './production/work-order.resolver';
import { NonConformanceResolver } from './quality/non-conformance.resolver';
import { QualityInspectionResolver } from './quality/quality-inspection.resolver';
import { mesReferenceResolvers } from './references';

export const MES_RESOLVERS = [
  WorkOrderResolver,
  OperationResolver,
  ProductionReportResolver,
  MaterialLotResolver,
  SalesOrderResolver,
  ProductResolver,
  MachineResolver,
  QualityInspectionResolver,
  NonConformanceResolver,
] as const;

/** The MES subgraph schema (Federation 2): type-graphql classes plus explicit reference resolvers. */
export function buildMesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [...MES_RESOLVERS] },
    mesReferenceResolvers as GraphQLResolverMap<unknown>,
  );
}
