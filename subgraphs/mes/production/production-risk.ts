import type { WorkOrderRecord } from '../backend/mes-backend';
import { HOUR_MS } from '../dates';
import type { ProductionRiskLevel } from '../enums';

export type RiskWorkOrder = Pick<
  WorkOrderRecord,
  'status' | 'quantityPlanned' | 'quantityGood' | 'quantityScrap' | 'actualStart' | 'actualEnd'
>;

export interface ProductionRiskAssessment {
  level: ProductionRiskLevel;
  projectedCompletion: Date | null;
  /** Good units still to make on work orders that are neither completed nor cancelled. */
  remainingQuantity: number;
  /** Measured output (good + scrap) per hour since the first work order started. */
  ratePerHour: number | null;
  /** Measured good output per hour: what actually reduces the remaining quantity. */
  goodRatePerHour: number | null;
}

/**
 * Will a sales order's production finish by its ERP due date at the measured rate?
 *
 * - CANCELLED work orders are ignored; COMPLETED ones owe nothing more, even if short of plan.
 * - remaining = Σ max(0, planned − good) over the open work orders.
 * - The rate is measured over the started work orders (those with actualStart) as one line of output:
 *   Σ(good + scrap) / hours from the earliest actualStart to now — or to the last actualEnd when every started
 *   work order has ended. Only good units close the gap, so the projection uses the good rate:
 *   projectedCompletion = now + remaining / (Σ good / hours).
 *
 * Levels, first match wins:
 *   NOT_STARTED  no live work orders at all;
 *   COMPLETE     nothing remains (projectedCompletion = the last actualEnd, or now if one is not closed yet);
 *   LATE         the due date has passed (now ≥ dueDate) with quantity remaining;
 *   NOT_STARTED  no work order has started, so there is no rate to project from;
 *   AT_RISK      no good output measured yet, or the projection lands after the due date;
 *   ON_TRACK     the projection lands on or before the due date.
 */
export function assessProductionRisk(
  workOrders: readonly RiskWorkOrder[],
  dueDate: Date,
  now: Date,
): ProductionRiskAssessment {
  const live = workOrders.filter((wo) => wo.status !== 'CANCELLED');
  const remainingQuantity = live
    .filter((wo) => wo.status !== 'COMPLETED')
    .reduce((sum, wo) => sum + Math.max(0, wo.quantityPlanned - wo.quantityGood), 0);
  const { ratePerHour, goodRatePerHour } = measureRate(live, now);
  const base = { remainingQuantity, ratePerHour, goodRatePerHour };

  if (live.length === 0) return { ...base, level: 'NOT_STARTED', projectedCompletion: null };
  if (remainingQuantity === 0) return { ...base, level: 'COMPLETE', projectedCompletion: finishedAt(live, now) };
  const pastDue = now.getTime() >= dueDate.getTime();
  if (ratePerHour === null) {
    return { ...base, level: pastDue ? 'LATE' : 'NOT_STARTED', projectedCompletion: null };
  }
  if (pastDue) return { ...base, level: 'LATE', projectedCompletion: project(remainingQuantity, goodRatePerHour, now) };
  const projectedCompletion = project(remainingQuantity, goodRatePerHour, now);
  const onTime = projectedCompletion !== null && projectedCompletion.getTime() <= dueDate.getTime();
  return { ...base, level: onTime ? 'ON_TRACK' : 'AT_RISK', projectedCompletion };
}

function measureRate(live: readonly RiskWorkOrder[], now: Date): { ratePerHour: number | null; goodRatePerHour: number | null } {
  const started = live.filter((wo) => wo.actualStart !== null);
  if (started.length === 0) return { ratePerHour: null, goodRatePerHour: null };
  const since = Math.min(...started.map((wo) => new Date(wo.actualStart as string).getTime()));
  const stillOpen = started.some((wo) => wo.actualEnd === null);
  const until = stillOpen ? now.getTime() : Math.max(...started.map((wo) => new Date(wo.actualEnd as string).getTime()));
  const hours = (until - since) / HOUR_MS;
  if (hours <= 0) return { ratePerHour: null, goodRatePerHour: null };
  const good = started.reduce((sum, wo) => sum + wo.quantityGood, 0);
  const scrap = started.reduce((sum, wo) => sum + wo.quantityScrap, 0);
  return { ratePerHour: (good + scrap) / hours, goodRatePerHour: good / hours };
}

function project(remaining: number, goodRatePerHour: number | null, now: Date): Date | null {
  if (goodRatePerHour === null || goodRatePerHour <= 0) return null;
  return new Date(now.getTime() + (remaining / goodRatePerHour) * HOUR_MS);
}

function finishedAt(live: readonly RiskWorkOrder[], now: Date): Date {
  if (live.some((wo) => wo.actualEnd === null)) return now;
  return new Date(Math.max(...live.map((wo) => new Date(wo.actualEnd as string).getTime())));
}
