import { GraphQLError } from 'graphql';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { ErrorCode } from '../../../schema/error-codes';
import type { WorkOrderRecord } from '../backend/mes-backend';
import type { MesContext } from '../context';
import { summarizeProgress } from './production-progress';
import { ProductionProgress } from './production-progress.type';
import { assessProductionRisk } from './production-risk';
import { ProductionRisk } from './production-risk.type';
import { SalesOrder } from './sales-order.type';
import { WorkOrder } from './work-order.type';

/** What MES adds to the ERP's sales orders. An id MES has never seen simply has no work orders. */
@Resolver(() => SalesOrder)
export class SalesOrderResolver {
  @FieldResolver(() => [WorkOrder], { nullable: true })
  workOrders(@Root() order: SalesOrder, @Ctx() ctx: MesContext): WorkOrder[] | Promise<WorkOrder[]> {
    return withWorkOrders(order, ctx, (records) => records.map(WorkOrder.from));
  }

  @FieldResolver(() => ProductionProgress, { nullable: true })
  productionProgress(@Root() order: SalesOrder, @Ctx() ctx: MesContext): ProductionProgress | Promise<ProductionProgress> {
    return withWorkOrders(order, ctx, (records) => Object.assign(new ProductionProgress(), summarizeProgress(records)));
  }

  @Directive('@requires(fields: "dueDate")')
  @FieldResolver(() => ProductionRisk, { nullable: true, description: 'Measured rate against the ERP due date (see ProductionRiskLevel).' })
  productionRisk(@Root() order: SalesOrder, @Ctx() ctx: MesContext): ProductionRisk | Promise<ProductionRisk> {
    const dueDate = order.dueDate;
    if (!(dueDate instanceof Date) || Number.isNaN(dueDate.getTime())) {
      // Only reachable without the gateway: it always sends dueDate because of @requires.
      throw new GraphQLError(`sales order ${order.id} was resolved without a valid dueDate`, {
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'dueDate' },
      });
    }
    return withWorkOrders(order, ctx, (records) => Object.assign(new ProductionRisk(), assessProductionRisk(records, dueDate, ctx.clock())));
  }
}

/**
 * `derive` over the order's work orders: synchronously when they came with the reference (no promise per
 * order and field for a batch of 500), else once the request's loader has read them.
 */
function withWorkOrders<T>(order: SalesOrder, ctx: MesContext, derive: (records: readonly WorkOrderRecord[]) => T): T | Promise<T> {
  if (order.workOrderRecords) return derive(order.workOrderRecords);
  return ctx.loaders.workOrdersBySalesOrder.load(order.id).then(derive);
}
