import { badUserInput, notFound } from '../../common/errors';
import type { NonConformanceRecord, QualityInspectionRecord } from '../backend/mes-backend';
import type { MesContext } from '../context';
import { announce, productionEvent } from '../events/production-event-payloads';
import { inspectionResult } from './inspection-result';
import type { RecordInspectionInput } from './record-inspection.types';

export const MAX_TEXT_LENGTH = 200;

export interface RecordInspectionOutcome {
  inspection: QualityInspectionRecord;
  nonConformance: NonConformanceRecord | null;
}

/** Field paths are `input.*` so a form can highlight the offending control. */
export function validateInspectionInput(input: RecordInspectionInput): void {
  requireText(input.characteristic, 'input.characteristic');
  requireText(input.unit, 'input.unit');
  if (input.lowerLimit > input.upperLimit) {
    throw badUserInput(
      `lowerLimit (${input.lowerLimit}) must not be greater than upperLimit (${input.upperLimit})`,
      'input.lowerLimit',
    );
  }
}

/**
 * Stores a measurement against a work order (and optionally one of its lots). The backend computes PASS/FAIL
 * from the limits and, for a FAIL, opens the non-conformance in the same write.
 */
export async function recordInspection(ctx: MesContext, input: RecordInspectionInput): Promise<RecordInspectionOutcome> {
  validateInspectionInput(input);
  const lotNumber = input.lotNumber ?? null;
  const [workOrder, lot] = await Promise.all([
    ctx.loaders.workOrder.load(input.workOrderId),
    lotNumber === null ? null : ctx.loaders.lot.load(lotNumber),
  ]);
  if (!workOrder) throw notFound('work order', input.workOrderId, 'input.workOrderId');
  if (lotNumber !== null && !lot) throw notFound('material lot', lotNumber, 'input.lotNumber');

  const inspectedAt = ctx.clock().toISOString();
  const fails = inspectionResult(input.measuredValue, input.lowerLimit, input.upperLimit) === 'FAIL';
  const events = fails ? [productionEvent('QUALITY_FAILED', workOrder, inspectedAt)] : [];
  const outcome = await ctx.backend.recordInspection(
    {
      workOrderId: workOrder.id,
      lotNumber,
      characteristic: input.characteristic.trim(),
      measuredValue: input.measuredValue,
      lowerLimit: input.lowerLimit,
      upperLimit: input.upperLimit,
      unit: input.unit.trim(),
      inspectedAt,
    },
    events,
  );

  // Lists read earlier in this request no longer hold; the new records are known and can be primed.
  const { loaders } = ctx;
  loaders.inspectionsByWorkOrder.clear(workOrder.id);
  if (lotNumber !== null) loaders.inspectionsByLot.clear(lotNumber);
  loaders.inspection.clear(outcome.inspection.id).prime(outcome.inspection.id, outcome.inspection);
  if (outcome.nonConformance) {
    loaders.nonConformance.clear(outcome.nonConformance.id).prime(outcome.nonConformance.id, outcome.nonConformance);
  }
  await announce(ctx, events);
  return outcome;
}

function requireText(value: string, field: string): void {
  if (value.trim().length === 0) throw badUserInput(`${field.replace('input.', '')} must not be blank`, field);
  if (value.length > MAX_TEXT_LENGTH) {
    throw badUserInput(`${field.replace('input.', '')} must be at most ${MAX_TEXT_LENGTH} characters`, field);
  }
}
