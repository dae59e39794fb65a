import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root, Directive } from 'type-graphql';
import type { MesContext } from '../context';
import { withoutNulls, listConnection, PageArgs } from '../../common/connection';
import { primer } from '../loaders';
import { MaterialLot } from '../production/material-lot.type';
import { WorkOrder } from '../production/work-order.type';
import { mapOrNull } from '../records';
import { NonConformance, NonConformanceConnection, NonConformanceFilterInput } from './non-conformance.type';
import { QualityInspection } from './quality-inspection.type';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => NonConformance)
export class NonConformanceResolver {
  @Query(() => NonConformance, { nullable: true })
  async nonConformance(@Arg('id', () => ID) id: string, @Ctx() ctx: MesContext): Promise<NonConformance | null> {
    return mapOrNull(await ctx.loaders.nonConformance.load(id), NonConformance.from);
  }

  // The connection's totalCount and pageInfo are not of type NonConformance: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PRODUCTION_READ))
  @Query(() => NonConformanceConnection)
  nonConformances(
    @Arg('filter', () => NonConformanceFilterInput, { nullable: true }) filter: NonConformanceFilterInput | null,
    @Args(() => PageArgs) paging: PageArgs,
    @Ctx() ctx: MesContext,
  ): Promise<NonConformanceConnection> {
    return listConnection(
      paging,
      (page) => ctx.backend.listNonConformances(withoutNulls(filter), page),
      primer(ctx.loaders.nonConformance, (record) => record.id),
      NonConformance.from,
    );
  }

  @FieldResolver(() => QualityInspection, { nullable: true, description: 'The failed inspection that opened it.' })
  async inspection(@Root() nonConformance: NonConformance, @Ctx() ctx: MesContext): Promise<QualityInspection | null> {
    return mapOrNull(await ctx.loaders.inspection.load(nonConformance.inspectionId), QualityInspection.from);
  }

  @FieldResolver(() => WorkOrder, { nullable: true })
  async workOrder(@Root() nonConformance: NonConformance, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    return mapOrNull(await ctx.loaders.workOrder.load(nonConformance.workOrderId), WorkOrder.from);
  }

  @FieldResolver(() => MaterialLot, { nullable: true })
  async lot(@Root() nonConformance: NonConformance, @Ctx() ctx: MesContext): Promise<MaterialLot | null> {
    if (nonConformance.lotNumber === null) return null;
    return mapOrNull(await ctx.loaders.lot.load(nonConformance.lotNumber), MaterialLot.from);
  }
}
