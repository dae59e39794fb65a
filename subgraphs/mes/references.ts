import type { GraphQLResolverMap } from '@apollo/subgraph/dist/schema-helper';
import type { MesContext } from './context';
import { Machine } from './equipment/machine.type';
import { MaterialLot } from './production/material-lot.type';
import { Product } from './production/product.type';
import { SalesOrder } from './production/sales-order.type';
import { WorkOrder } from './production/work-order.type';
import { NonConformance } from './quality/non-conformance.type';
import { QualityInspection } from './quality/quality-inspection.type';
import { mapOrNull } from './records';

/**
 * `_entities` entry points, one per @key type, each through a loader so a batch of N representations is one
 * backend call. MES-owned entities resolve unknown keys to null. SalesOrder and Product belong to the ERP:
 * MES cannot tell whether a key exists there, so it returns the reference and its fields answer "nothing on
 * the shop floor" (no work orders).
 */
export const mesReferenceResolvers: GraphQLResolverMap<MesContext> = {
  WorkOrder: {
    __resolveReference: async (ref: { id: string }, ctx: MesContext) =>
      mapOrNull(await ctx.loaders.workOrder.load(ref.id), WorkOrder.from),
  },
  Machine: {
    __resolveReference: async (ref: { id: string }, ctx: MesContext) =>
      mapOrNull(await ctx.loaders.machine.load(ref.id), Machine.from),
  },
  MaterialLot: {
    __resolveReference: async (ref: { lotNumber: string }, ctx: MesContext) =>
      mapOrNull(await ctx.loaders.lot.load(ref.lotNumber), MaterialLot.from),
  },
  QualityInspection: {
    __resolveReference: async (ref: { id: string }, ctx: MesContext) =>
      mapOrNull(await ctx.loaders.inspection.load(ref.id), QualityInspection.from),
  },
  NonConformance: {
    __resolveReference: async (ref: { id: string }, ctx: MesContext) =>
      mapOrNull(await ctx.loaders.nonConformance.load(ref.id), NonConformance.from),
  },
  SalesOrder: {
    // dueDate arrives as the ISO string the ERP serialized; an absent one stays undefined (see productionRisk).
    __resolveReference: (ref: { id: string; dueDate?: string }) =>
      SalesOrder.reference(ref.id, ref.dueDate === undefined || ref.dueDate === null ? undefined : new Date(ref.dueDate)),
  },
  Product: {
    __resolveReference: (ref: { sku: string }) => Product.reference(ref.sku),
  },
};
