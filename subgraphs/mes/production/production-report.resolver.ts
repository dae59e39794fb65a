import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { MesContext } from '../context';
import { Machine } from '../equipment/machine.type';
import { mapOrNull } from '../records';
import { ProductionReport } from './production-report.type';
import { WorkOrder } from './work-order.type';

@Resolver(() => ProductionReport)
export class ProductionReportResolver {
  @FieldResolver(() => WorkOrder, { nullable: true })
  async workOrder(@Root() report: ProductionReport, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    return mapOrNull(await ctx.loaders.workOrder.load(report.workOrderId), WorkOrder.from);
  }

  @FieldResolver(() => Machine, { nullable: true, description: 'The machine the quantities were counted on, if known.' })
  async machine(@Root() report: ProductionReport, @Ctx() ctx: MesContext): Promise<Machine | null> {
    if (report.machineId === null) return null;
    return mapOrNull(await ctx.loaders.machine.load(report.machineId), Machine.from);
  }
}
