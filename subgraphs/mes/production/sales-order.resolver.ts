import { GraphQLError } from 'graphql';
import { Ctx, Directive, FieldResolver, Resolver, Root } from 'type-graphql';
import { ErrorCode } from '../../../schema/error-codes';
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
  async workOrders(@Root() order: SalesOrder, @Ctx() ctx: MesContext): Promise<WorkOrder[]> {
    return (await ctx.loaders.workOrdersBySalesOrder.load(order.id)).map(WorkOrder.from);
  }

  @FieldResolver(() => ProductionProgress, { nullable: true })
  async productionProgress(@Root() order: SalesOrder, @Ctx() ctx: MesContext): Promise<ProductionProgress> {
    return Object.assign(new ProductionProgress(), summarizeProgress(await ctx.loaders.workOrdersBySalesOrder.load(order.id)));
  }

  @Directive('@requires(fields: "dueDate")')
  @FieldResolver(() => ProductionRisk, { nullable: true, description: 'Measured rate against the ERP due date (see ProductionRiskLevel).' })
  async productionRisk(@Root() order: SalesOrder, @Ctx() ctx: MesContext): Promise<ProductionRisk> {
    const dueDate = order.dueDate;
    if (!(dueDate instanceof Date) || Number.isNaN(dueDate.getTime())) {
      // Only reachable without the gateway: it always sends dueDate because of @requires.
      throw new GraphQLError(`sales order ${order.id} was resolved without a valid dueDate`, {
        extensions: { code: ErrorCode.BAD_USER_INPUT, field: 'dueDate' },
      });
    }
    const workOrders = await ctx.loaders.workOrdersBySalesOrder.load(order.id);
    return Object.assign(new ProductionRisk(), assessProductionRisk(workOrders, dueDate, ctx.clock()));
  }
}
