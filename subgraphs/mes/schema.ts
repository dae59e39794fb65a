import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { GraphQLSchema } from 'graphql';
import type { PubSub } from 'type-graphql';
import { buildFederatedSchema } from '../common/federated-schema';
// Registers the enum types before any class that uses them is built.
import './enums';
import { MachineResolver } from './equipment/machine.resolver';
import { RecordMachineStateResolver } from './equipment/record-machine-state.resolver';
import { MachineStatusEventResolver, ProductionEventResolver } from './events/event.resolvers';
import { EventStreamPositionResolver } from './events/event-stream-position.resolver';
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
  RecordMachineStateResolver,
  QualityInspectionResolver,
  NonConformanceResolver,
  MachineStatusEventResolver,
  ProductionEventResolver,
  EventStreamPositionResolver,
] as const;

/**
 * type-graphql insists on a PubSub once a schema has subscriptions, even when, as here, every subscription
 * brings its own `subscribe` (reading the event bus). One that fails loudly keeps that fact visible.
 */
const NO_PUBSUB: PubSub = {
  publish: () => {
    throw new Error('MES subscriptions read the event bus; type-graphql topics are not used');
  },
  subscribe: () => {
    throw new Error('MES subscriptions read the event bus; type-graphql topics are not used');
  },
};

/** The MES subgraph schema (Federation 2): type-graphql classes plus explicit reference resolvers. */
export function buildMesSchema(): Promise<GraphQLSchema> {
  return buildFederatedSchema(
    { resolvers: [...MES_RESOLVERS], pubSub: NO_PUBSUB },
    mesReferenceResolvers as GraphQLResolverMap<unknown>,
  );
}
