import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root, Directive } from 'type-graphql';
import type { MesContext } from '../context';
import { withoutNulls, listConnection, PageArgs } from '../../common/connection';
import { primer } from '../loaders';
import { MaterialLot } from '../production/material-lot.type';
import { WorkOrder } from '../production/work-order.type';
import { mapOrNull } from '../records';
import { NonConformance } from './non-conformance.type';
import { QualityInspection, QualityInspectionConnection, QualityInspectionFilterInput } from './quality-inspection.type';
import { recordInspection } from './record-inspection';
import { RecordInspectionInput, RecordInspectionPayload } from './record-inspection.types';
import { Scope, requiresScopes } from '../../common/scopes';

@Resolver(() => QualityInspection)
export class QualityInspectionResolver {
  @Query(() => QualityInspection, { nullable: true })
  async qualityInspection(@Arg('id', () => ID) id: string, @Ctx() ctx: MesContext): Promise<QualityInspection | null> {
    return mapOrNull(await ctx.loaders.inspection.load(id), QualityInspection.from);
  }

  // The connection's totalCount and pageInfo are not of type QualityInspection: the list field itself is protected too.
  @Directive(requiresScopes(Scope.PRODUCTION_READ))
  @Query(() => QualityInspectionConnection)
  qualityInspections(
    @Arg('filter', () => QualityInspectionFilterInput, { nullable: true }) filter: QualityInspectionFilterInput | null,
    @Args(() => PageArgs) paging: PageArgs,
    @Ctx() ctx: MesContext,
  ): Promise<QualityInspectionConnection> {
    return listConnection(
      paging,
      (page) => ctx.backend.listInspections(withoutNulls(filter), page),
      primer(ctx.loaders.inspection, (record) => record.id),
      QualityInspection.from,
    );
  }

  @FieldResolver(() => WorkOrder, { nullable: true })
  async workOrder(@Root() inspection: QualityInspection, @Ctx() ctx: MesContext): Promise<WorkOrder | null> {
    return mapOrNull(await ctx.loaders.workOrder.load(inspection.workOrderId), WorkOrder.from);
  }

  @FieldResolver(() => MaterialLot, { nullable: true })
  async lot(@Root() inspection: QualityInspection, @Ctx() ctx: MesContext): Promise<MaterialLot | null> {
    if (inspection.lotNumber === null) return null;
    return mapOrNull(await ctx.loaders.lot.load(inspection.lotNumber), MaterialLot.from);
  }

  @FieldResolver(() => NonConformance, { nullable: true, description: 'Opened when this inspection failed.' })
  async nonConformance(@Root() inspection: QualityInspection, @Ctx() ctx: MesContext): Promise<NonConformance | null> {
    if (inspection.nonConformanceId === null) return null;
    return mapOrNull(await ctx.loaders.nonConformance.load(inspection.nonConformanceId), NonConformance.from);
  }

  @Directive(requiresScopes(Scope.QUALITY_WRITE))
  @Mutation(() => RecordInspectionPayload, {
    description: 'Stores a measurement; the result is computed from the limits and a FAIL opens a non-conformance.',
  })
  async recordInspection(
    @Arg('input', () => RecordInspectionInput) input: RecordInspectionInput,
    @Ctx() ctx: MesContext,
  ): Promise<RecordInspectionPayload> {
    const outcome = await recordInspection(ctx, input);
    return Object.assign(new RecordInspectionPayload(), {
      inspection: QualityInspection.from(outcome.inspection),
      nonConformance: mapOrNull(outcome.nonConformance, NonConformance.from),
    });
  }
}
