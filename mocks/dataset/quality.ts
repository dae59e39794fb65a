import type {
  InspectionResult,
  MaterialLotRecord,
  NonConformanceRecord,
  NonConformanceStatus,
  QualityInspectionRecord,
  WorkOrderRecord,
} from '../../subgraphs/mes/backend/mes-backend';
import { CHARACTERISTICS, type CharacteristicSpec } from './catalog';
import { pad, widthFor, YearlySeries } from './ids';
import type { Random } from './random';
import { DAY, isoSeconds as iso, MINUTE, ms } from './time';
import type { ProductPlan } from './world';
import { inspectionResult } from '../../subgraphs/mes/quality/inspection-result';

export { inspectionResult };

const FAIL_SHARE = 0.035;

export const nonConformanceDescription = (characteristic: string, value: number, lower: number, upper: number, unit: string) =>
  `${characteristic} ${value} ${unit} outside ${lower}–${upper} ${unit}`;

export interface QualityRecords {
  inspections: QualityInspectionRecord[];
  nonConformances: NonConformanceRecord[];
}

const round = (value: number, decimals: number) => Math.round(value * 10 ** decimals) / 10 ** decimals;

export function generateQuality(
  rng: Random,
  anchorMs: number,
  workOrders: readonly WorkOrderRecord[],
  outputLots: ReadonlyMap<string, MaterialLotRecord[]>,
  plans: ReadonlyMap<string, ProductPlan>,
): QualityRecords {
  const inspections: QualityInspectionRecord[] = [];
  for (const workOrder of workOrders) {
    const lots = outputLots.get(workOrder.id);
    if (!lots) continue;
    const characteristics = plans.get(workOrder.sku)!.characteristics.map((i) => CHARACTERISTICS[i]!);
    for (const spec of rng.sample(characteristics, rng.int(1, 3))) {
      const lot = rng.pick(lots);
      const bookedAt = ms(lot.createdAt);
      const inspectedAt = Math.max(bookedAt, Math.min(anchorMs - MINUTE, bookedAt + rng.int(10, 240) * MINUTE));
      inspections.push(reading(rng, spec, workOrder.id, rng.chance(0.1) ? null : lot.lotNumber, inspectedAt));
    }
  }

  // Ids follow inspection time, like a naming series filled as inspectors submit.
  inspections.sort((a, b) => ms(a.inspectedAt) - ms(b.inspectedAt));
  const width = widthFor(inspections.length, 6);
  const failures = inspections.filter((inspection) => inspection.result === 'FAIL');
  const ncWidth = widthFor(failures.length, 6);
  const numbers = new YearlySeries('NCR');
  inspections.forEach((inspection, i) => {
    inspection.id = `QI-${pad(i + 1, width)}`;
  });
  const nonConformances = failures.map((inspection, i): NonConformanceRecord => {
    const openedAt = ms(inspection.inspectedAt);
    const id = `NC-${pad(i + 1, ncWidth)}`;
    inspection.nonConformanceId = id;
    return {
      id,
      number: numbers.next(openedAt),
      inspectionId: inspection.id,
      workOrderId: inspection.workOrderId,
      lotNumber: inspection.lotNumber,
      description: nonConformanceDescription(inspection.characteristic, inspection.measuredValue, inspection.lowerLimit, inspection.upperLimit, inspection.unit),
      status: reviewStatus(rng, anchorMs - openedAt),
      openedAt: inspection.inspectedAt,
    };
  });
  return { inspections, nonConformances };
}

function reading(rng: Random, spec: CharacteristicSpec, workOrderId: string, lotNumber: string | null, at: number): QualityInspectionRecord {
  const deviation = rng.chance(FAIL_SHARE)
    ? (rng.chance(0.5) ? 1 : -1) * rng.float(1.1, 1.6)
    : Math.max(-0.95, Math.min(0.95, rng.gaussian() * 0.35));
  const measuredValue = round(spec.nominal + spec.tolerance * deviation, spec.decimals);
  const lowerLimit = round(spec.nominal - spec.tolerance, spec.decimals);
  const upperLimit = round(spec.nominal + spec.tolerance, spec.decimals);
  return {
    id: '',
    workOrderId,
    lotNumber,
    characteristic: spec.name,
    measuredValue,
    lowerLimit,
    upperLimit,
    unit: spec.unit,
    result: inspectionResult(measuredValue, lowerLimit, upperLimit),
    inspectedAt: iso(at),
    nonConformanceId: null,
  };
}

/** Older findings have been worked through; the last few days' are still open. */
function reviewStatus(rng: Random, ageMs: number): NonConformanceStatus {
  if (ageMs > 14 * DAY) return 'CLOSED';
  if (ageMs > 3 * DAY) return rng.chance(0.5) ? 'UNDER_REVIEW' : 'CLOSED';
  return 'OPEN';
}
