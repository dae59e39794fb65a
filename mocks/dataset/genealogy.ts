import type { ProductRecord } from '../../subgraphs/erp/backend/erp-backend';
import type { MaterialLotRecord, WorkOrderRecord } from '../../subgraphs/mes/backend/mes-backend';
import { compareIds, pad, widthFor } from './ids';
import type { Random } from './random';
import { DAY, isoSeconds as iso, MINUTE, ms } from './time';
import type { ProductPlan } from './world';

export interface Genealogy {
  lots: MaterialLotRecord[];
  /** Output lots per work order id, oldest first. */
  outputLots: Map<string, MaterialLotRecord[]>;
}

/**
 * Material flow: each purchased lot feeds a run of consecutive work orders until it is used up, and every work
 * order that produced good units puts them into lots whose parents are exactly the lots it consumed.
 */
export function generateGenealogy(
  rng: Random,
  anchorMs: number,
  workOrders: readonly WorkOrderRecord[],
  plans: ReadonlyMap<string, ProductPlan>,
  products: readonly ProductRecord[],
): Genealogy {
  const unitOf = new Map(products.map((p) => [p.sku, p.unitOfMeasure]));
  const started = workOrders
    .filter((wo) => wo.actualStart !== null)
    .sort((a, b) => ms(a.actualStart!) - ms(b.actualStart!) || compareIds(a.id, b.id));

  const rawLots = rawMaterialLots(rng, started, plans, unitOf);
  const consumed = new Map<string, string[]>();
  for (const lot of rawLots) {
    for (const workOrderId of lot.consumedByWorkOrderIds) {
      const list = consumed.get(workOrderId) ?? [];
      list.push(lot.lotNumber);
      consumed.set(workOrderId, list);
    }
  }

  const produced: MaterialLotRecord[] = [];
  for (const workOrder of started) {
    if (workOrder.quantityGood === 0) continue;
    const parents = (consumed.get(workOrder.id) ?? []).sort(compareIds);
    for (const [quantity, createdAt] of outputPortions(rng, workOrder, anchorMs)) {
      produced.push({
        lotNumber: '',
        sku: workOrder.sku,
        quantity,
        unitOfMeasure: unitOf.get(workOrder.sku)!,
        producedByWorkOrderId: workOrder.id,
        consumedByWorkOrderIds: [],
        parentLotNumbers: [...parents],
        createdAt: iso(createdAt),
      });
    }
  }
  number(produced, 'LOT-FG');

  const outputLots = new Map<string, MaterialLotRecord[]>();
  for (const lot of produced) {
    const list = outputLots.get(lot.producedByWorkOrderId!) ?? [];
    list.push(lot);
    outputLots.set(lot.producedByWorkOrderId!, list);
  }
  return { lots: [...rawLots, ...produced], outputLots };
}

function rawMaterialLots(
  rng: Random,
  started: readonly WorkOrderRecord[],
  plans: ReadonlyMap<string, ProductPlan>,
  unitOf: ReadonlyMap<string, string>,
): MaterialLotRecord[] {
  const consumers = new Map<string, { workOrder: WorkOrderRecord; need: number }[]>();
  for (const workOrder of started) {
    for (const component of plans.get(workOrder.sku)!.bom) {
      const list = consumers.get(component.sku) ?? [];
      list.push({ workOrder, need: component.perUnit * workOrder.quantityPlanned });
      consumers.set(component.sku, list);
    }
  }

  const lots: MaterialLotRecord[] = [];
  for (const [sku, uses] of consumers) {
    for (const batch of consecutiveBatches(rng, uses)) {
      const firstUse = ms(batch[0]!.workOrder.actualStart!);
      const need = batch.reduce((sum, use) => sum + use.need, 0);
      lots.push({
        lotNumber: '',
        sku,
        quantity: Math.ceil(need * rng.float(1.02, 1.15)),
        unitOfMeasure: unitOf.get(sku)!,
        producedByWorkOrderId: null,
        consumedByWorkOrderIds: batch.map((use) => use.workOrder.id).sort(compareIds),
        parentLotNumbers: [],
        // Received some days before the first work order drew from it.
        createdAt: iso(Math.floor((firstUse - rng.float(1, 10) * DAY) / MINUTE) * MINUTE),
      });
    }
  }
  number(lots, 'LOT-RM');
  return lots;
}

/** Runs of 3–8 uses per lot; a lone use at the end joins the previous run so each lot feeds several orders. */
function consecutiveBatches<T>(rng: Random, uses: readonly T[]): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < uses.length; ) {
    const size = rng.int(3, 8);
    batches.push(uses.slice(i, i + size));
    i += size;
  }
  const last = batches[batches.length - 1];
  if (batches.length > 1 && last!.length < 2) batches[batches.length - 2]!.push(...batches.pop()!);
  return batches;
}

/** [quantity, createdAt] of each output lot: larger finished runs are split in two, partial runs have one. */
function outputPortions(rng: Random, workOrder: WorkOrderRecord, anchorMs: number): [number, number][] {
  const good = workOrder.quantityGood;
  const operations = workOrder.operations.filter((op) => op.startedAt !== null);
  const last = operations[operations.length - 1]!;
  const lastStart = ms(last.startedAt!);

  if (workOrder.status === 'COMPLETED') {
    const end = ms(last.endedAt!);
    if (good < 20 || !rng.chance(0.4)) return [[good, end]];
    const first = Math.round(good * rng.float(0.3, 0.7));
    return [[first, Math.round((lastStart + end) / 2)], [good - first, end]];
  }
  if (last.endedAt !== null) return [[good, ms(last.endedAt)]];
  // Still running: the partial lot was booked somewhere between the step's start and half an hour ago.
  const latest = Math.max(lastStart, anchorMs - 30 * MINUTE);
  return [[good, Math.round(lastStart + (latest - lastStart) * rng.float(0.2, 1))]];
}

/** Lot numbers follow booking time, as a lot-numbering series in a real plant would. */
function number(lots: MaterialLotRecord[], prefix: string): void {
  lots.sort((a, b) => ms(a.createdAt) - ms(b.createdAt) || (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  const width = widthFor(lots.length, 6);
  lots.forEach((lot, i) => {
    lot.lotNumber = `${prefix}-${pad(i + 1, width)}`;
  });
}
