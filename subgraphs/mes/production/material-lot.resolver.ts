import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root, Directive } from 'type-graphql';
import type { MesContext } from '../context';
import { withoutNulls, listConnection, PageArgs } from '../../common/connection';
import { primer } from '../loaders';
import { QualityInspection } from '../quality/quality-inspection.type';
import { mapOrNull, presentOnly } from '../records';
import { MaterialLot, MaterialLotConnection, MaterialLotFilterInput } from './material-lot.type';
import { WorkOrder } from './work-order.type';
import { Scope, requiresScopes } from '../../common/scopes';

/** Lot genealogy: parents/children walk one generation; consumedBy → producedLots walks across work orders. */
@Resolver(() => MaterialLot)
export class MaterialLotResolver {
  @Query(() => MaterialLot, { nullable: true })
  async materialLot(@Arg('lotNumber', () => String) lotNumber: string, @Ctx() ctx: MesContext): Promise<MaterialLot | null> {
    return mapOrNull(await ctx.loaders.lot.load(lotNumber), MaterialLot.from);
  }

  // The connection's totalCount and pageInfo are not of type MaterialLot: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PRODUCTION_READ))
  @Query(() => MaterialLotConnection)
  materialLots(
    @Arg('filter', () => MaterialLotFilterInput, { nullable: true }) filter: MaterialLotFilterInput | null,
    @Args(() => PageArgs) paging: PageArgs,
    @Ctx() ctx: MesContext,
  ): Promise<MaterialLotConnection> {
    return listConnection(
      paging,
      (page) => ctx.backend.listLots(withoutNulls(filter), page),
      primer(ctx.loaders.lot, (record) => record.lotNumber),
      MaterialLot.from,
    );
  }

  @FieldResolver(() => WorkOrder, { nullable: true, description: 'Null for purchased raw material.' })
  async producedBy(@Root() lot: MaterialLot, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    if (lot.producedByWorkOrderId === null) return null;
    return mapOrNull(await ctx.loaders.workOrder.load(lot.producedByWorkOrderId), WorkOrder.from);
  }

  @FieldResolver(() => [WorkOrder], { description: 'Work orders that used this lot as input.' })
  async consumedBy(@Root() lot: MaterialLot, @Ctx() ctx: MesContext): Promise<WorkOrder[]> {
    return presentOnly(await ctx.loaders.workOrder.loadMany(lot.consumedByWorkOrderIds)).map(WorkOrder.from);
  }

  @FieldResolver(() => [MaterialLot], { description: 'Lots this lot was made from (one generation up).' })
  async parents(@Root() lot: MaterialLot, @Ctx() ctx: MesContext): Promise<MaterialLot[]> {
    return presentOnly(await ctx.loaders.lot.loadMany(lot.parentLotNumbers)).map(MaterialLot.from);
  }

  @FieldResolver(() => [MaterialLot], { description: 'Lots made from this lot (one generation down).' })
  async children(@Root() lot: MaterialLot, @Ctx() ctx: MesContext): Promise<MaterialLot[]> {
    return (await ctx.loaders.lotChildren.load(lot.lotNumber)).map(MaterialLot.from);
  }

  @FieldResolver(() => [QualityInspection])
  async inspections(@Root() lot: MaterialLot, @Ctx() ctx: MesContext): Promise<QualityInspection[]> {
    return (await ctx.loaders.inspectionsByLot.load(lot.lotNumber)).map(QualityInspection.from);
  }
}
