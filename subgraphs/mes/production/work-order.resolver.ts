import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Directive } from 'type-graphql';
import type { MesContext } from '../context';
import { withoutNulls, listConnection, PageArgs } from '../../common/connection';
import { primer } from '../loaders';
import { QualityInspection } from '../quality/quality-inspection.type';
import { mapOrNull } from '../records';
import { MaterialLot } from './material-lot.type';
import { ProductionReport, ReportProductionArgs, ReportProductionPayload } from './production-report.type';
import { releaseWorkOrder } from './release-work-order';
import { reportProduction } from './report-production';
import { WorkOrder, WorkOrderConnection, WorkOrderFilterInput } from './work-order.type';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => WorkOrder)
export class WorkOrderResolver {
  @Query(() => WorkOrder, { nullable: true })
  async workOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    return mapOrNull(await ctx.loaders.workOrder.load(id), WorkOrder.from);
  }

  // The connection's totalCount and pageInfo are not of type WorkOrder: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PRODUCTION_READ))
  @Query(() => WorkOrderConnection, { description: 'Ordered by scheduledStart, then id.' })
  workOrders(
    @Arg('filter', () => WorkOrderFilterInput, { nullable: true }) filter: WorkOrderFilterInput | null,
    @Args(() => PageArgs) paging: PageArgs,
    @Ctx() ctx: MesContext,
  ): Promise<WorkOrderConnection> {
    return listConnection(
      paging,
      (page) => ctx.backend.listWorkOrders(withoutNulls(filter), page),
      primer(ctx.loaders.workOrder, (record) => record.id),
      WorkOrder.from,
    );
  }

  @FieldResolver(() => [MaterialLot], { description: 'Lots this work order used as input.' })
  async consumedLots(@Root() workOrder: WorkOrder, @Ctx() ctx: MesContext): Promise<MaterialLot[]> {
    return (await ctx.loaders.lotsConsumedBy.load(workOrder.id)).map(MaterialLot.from);
  }

  @FieldResolver(() => [MaterialLot], { description: 'Lots this work order made.' })
  async producedLots(@Root() workOrder: WorkOrder, @Ctx() ctx: MesContext): Promise<MaterialLot[]> {
    return (await ctx.loaders.lotsProducedBy.load(workOrder.id)).map(MaterialLot.from);
  }

  @FieldResolver(() => [QualityInspection])
  async inspections(@Root() workOrder: WorkOrder, @Ctx() ctx: MesContext): Promise<QualityInspection[]> {
    return (await ctx.loaders.inspectionsByWorkOrder.load(workOrder.id)).map(QualityInspection.from);
  }

  @Directive(requiresScopes(Scope.PRODUCTION_WRITE))
  @Mutation(() => WorkOrder, { description: 'PLANNED → RELEASED; any other status is refused with the status named.' })
  async releaseWorkOrder(@Arg('id', () => ID) id: string, @Ctx() ctx: MesContext): Promise<WorkOrder> {
    return WorkOrder.from(await releaseWorkOrder(ctx, id));
  }

  @Directive(requiresScopes(Scope.PRODUCTION_WRITE))
  @Mutation(() => ReportProductionPayload, {
    description:
      'Adds good and scrap to a RELEASED, RUNNING or PAUSED work order (a RELEASED one starts RUNNING). ' +
      'Safe to retry: the same idempotencyKey returns the first report and counts nothing twice.',
  })
  async reportProduction(
    @Args(() => ReportProductionArgs) args: ReportProductionArgs,
    @Ctx() ctx: MesContext,
  ): Promise<ReportProductionPayload> {
    const outcome = await reportProduction(ctx, args);
    return Object.assign(new ReportProductionPayload(), {
      report: ProductionReport.from(outcome.report),
      workOrder: WorkOrder.from(outcome.workOrder),
      duplicate: outcome.duplicate,
    });
  }
}
