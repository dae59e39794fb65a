import type { ProductTotalsRecord, WorkOrderRecord } from '../backend/mes-backend';

type Quantities = Pick<WorkOrderRecord, 'status' | 'quantityPlanned' | 'quantityGood' | 'quantityScrap'>;

export interface ProductionProgressSummary {
  quantityPlanned: number;
  quantityGood: number;
  quantityScrap: number;
  /** good / planned × 100, capped at 100; 0 when nothing is planned. */
  percentComplete: number;
  workOrderCount: number;
  completedWorkOrderCount: number;
}

/** A sales order's production so far. CANCELLED work orders are left out: their plan will never be made. */
export function summarizeProgress(workOrders: readonly Quantities[]): ProductionProgressSummary {
  const live = workOrders.filter((wo) => wo.status !== 'CANCELLED');
  const quantityPlanned = sum(live, (wo) => wo.quantityPlanned);
  const quantityGood = sum(live, (wo) => wo.quantityGood);
  return {
    quantityPlanned,
    quantityGood,
    quantityScrap: sum(live, (wo) => wo.quantityScrap),
    percentComplete: quantityPlanned > 0 ? Math.min(100, (quantityGood / quantityPlanned) * 100) : 0,
    workOrderCount: live.length,
    completedWorkOrderCount: live.filter((wo) => wo.status === 'COMPLETED').length,
  };
}

/** Open quantity of the work orders still to finish (not COMPLETED, not CANCELLED). */
export function workInProgress(workOrders: readonly Quantities[]): number {
  return workOrders
    .filter((wo) => wo.status !== 'COMPLETED' && wo.status !== 'CANCELLED')
    .reduce((total, wo) => total + Math.max(0, wo.quantityPlanned - wo.quantityGood), 0);
}

/** The totals a backend keeps per product (MesBackend.getProductTotals), from the product's work orders. */
export function productTotals(sku: string, workOrders: readonly Quantities[]): ProductTotalsRecord {
  let quantityGood = 0;
  let quantityScrap = 0;
  for (const wo of workOrders) {
    quantityGood += wo.quantityGood;
    quantityScrap += wo.quantityScrap;
  }
  return { sku, workInProgress: workInProgress(workOrders), quantityGood, quantityScrap };
}

/**
 * First-pass yield over every work order of a product, cancelled ones included (their output was real):
 * good / (good + scrap) from the product's totals, null when nothing has been produced yet.
 */
export function totalsYield({ quantityGood: good, quantityScrap: scrap }: ProductTotalsRecord): number | null {
  return good + scrap > 0 ? good / (good + scrap) : null;
}

function sum<T>(items: readonly T[], value: (item: T) => number): number {
  return items.reduce((total, item) => total + value(item), 0);
}
