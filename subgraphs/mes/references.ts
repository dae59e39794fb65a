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
    // Every MES field of a sales order derives from its work orders, so they are read here, one loader call for
    // the whole batch, and the fields of 500 orders then resolve without a promise each.
    __resolveReference: async (ref: { id: string; dueDate?: string }, ctx: MesContext) =>
      SalesOrder.reference(
        ref.id,
        ref.dueDate === undefined || ref.dueDate === null ? undefined : new Date(ref.dueDate),
        await ctx.loaders.workOrdersBySalesOrder.load(ref.id),
      ),
  },
  Product: {
    __resolveReference: (ref: { sku: string }) => Product.reference(ref.sku),
  },
};
