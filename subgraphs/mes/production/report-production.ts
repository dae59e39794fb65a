import { badUserInput, notFound } from '../../common/errors';
import type { ProductionReportRecord, WorkOrderRecord, WorkOrderStatus } from '../backend/mes-backend';
import type { MesContext } from '../context';
import type { PendingEvent } from '../events/event-types';
import { announce, productionEvent } from '../events/production-event-payloads';

export interface ReportProductionRequest {
  workOrderId: string;
  good: number;
  scrap: number;
  idempotencyKey: string;
}

export interface ReportProductionOutcome {
  report: ProductionReportRecord;
  workOrder: WorkOrderRecord;
  duplicate: boolean;
}

export const MAX_IDEMPOTENCY_KEY_LENGTH = 200;
const REPORTABLE: readonly WorkOrderStatus[] = ['RELEASED', 'RUNNING', 'PAUSED'];

export function validateReportArgs(args: ReportProductionRequest): void {
  if (!Number.isInteger(args.good) || args.good < 0) throw badUserInput('good must be a non-negative integer', 'good');
  if (!Number.isInteger(args.scrap) || args.scrap < 0) throw badUserInput('scrap must be a non-negative integer', 'scrap');
  if (args.good === 0 && args.scrap === 0) throw badUserInput('good and scrap cannot both be zero', 'good');
  if (args.idempotencyKey.trim().length === 0) throw badUserInput('idempotencyKey must not be blank', 'idempotencyKey');
  if (args.idempotencyKey.length > MAX_IDEMPOTENCY_KEY_LENGTH) {
    throw badUserInput(`idempotencyKey must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`, 'idempotencyKey');
  }
}

/**
 * Adds good and scrap to a work order exactly once per idempotency key. The backend deduplicates the write;
 * this checks a replayed key carries the same arguments, and starts a RELEASED work order (→ RUNNING) only
 * after the report is stored, so a rejected replay changes nothing. A replay also retries that transition,
 * which repairs a first attempt that stopped between the two writes.
 */
export async function reportProduction(ctx: MesContext, args: ReportProductionRequest): Promise<ReportProductionOutcome> {
  validateReportArgs(args);
  const workOrder = await ctx.loaders.workOrder.load(args.workOrderId);
  if (!workOrder) throw notFound('work order', args.workOrderId, 'workOrderId');
  if (!REPORTABLE.includes(workOrder.status)) {
    throw badUserInput(
      `work order ${workOrder.number} is ${workOrder.status}; production can only be reported on a RELEASED, RUNNING or PAUSED work order`,
      'workOrderId',
    );
  }

  const at = ctx.clock().toISOString();
  const machineId = reportingMachine(workOrder);
  const reported = [productionEvent('PRODUCTION_REPORTED', workOrder, at, { machineId, good: args.good, scrap: args.scrap })];
  const { report, duplicate } = await ctx.backend.reportProduction(
    { workOrderId: workOrder.id, good: args.good, scrap: args.scrap, idempotencyKey: args.idempotencyKey, machineId, at },
    reported,
  );
  if (duplicate && !sameReport(report, args)) {
    throw badUserInput(
      `idempotencyKey "${args.idempotencyKey}" was already used for a different report ` +
        `(work order ${report.workOrderId}, good ${report.good}, scrap ${report.scrap})`,
      'idempotencyKey',
    );
  }
  // Started before reported, in the order things happened on the floor.
  const started = await transition(ctx, workOrder, 'RUNNING', at, productionEvent('WORK_ORDER_STARTED', workOrder, at, { machineId }));
  if (!duplicate) await announce(ctx, reported);
  const updated = (await ctx.loaders.workOrder.clear(workOrder.id).load(workOrder.id)) ?? started ?? workOrder;
  if (duplicate) return { report, workOrder: updated, duplicate };
  const completed = await completeWhenPlanReached(ctx, updated, at);
  return { report, workOrder: completed ?? updated, duplicate };
}

/**
 * RELEASED → RUNNING on the first report. null when another report already started it, which is the state wanted
 * anyway; a replayed report retries it, which repairs a first attempt that stopped between the two writes.
 */
async function transition(ctx: MesContext, workOrder: WorkOrderRecord, to: 'RUNNING', at: string, event: PendingEvent) {
  if (workOrder.status !== 'RELEASED') return null;
  const started = await ctx.backend.transitionWorkOrder(workOrder.id, 'RELEASED', to, at, [event]);
  if (started) await announce(ctx, [event]);
  return started;
}

/**
 * A work order is done when its good quantity reaches the plan: it moves to COMPLETED and says so. The
 * compare-and-set makes sure only one of two concurrent reports completes it (and announces it).
 */
async function completeWhenPlanReached(ctx: MesContext, workOrder: WorkOrderRecord, at: string): Promise<WorkOrderRecord | null> {
  if (workOrder.quantityGood < workOrder.quantityPlanned) return null;
  if (workOrder.status !== 'RUNNING' && workOrder.status !== 'PAUSED') return null;
  const events = [productionEvent('WORK_ORDER_COMPLETED', workOrder, at)];
  const completed = await ctx.backend.transitionWorkOrder(workOrder.id, workOrder.status, 'COMPLETED', at, events);
  if (!completed) return null;
  ctx.loaders.workOrder.clear(workOrder.id).prime(workOrder.id, completed);
  await announce(ctx, events);
  return completed;
}

/** The machine the work is on now: the running operation's, else the next pending one's, else the last one's. */
export function reportingMachine(workOrder: Pick<WorkOrderRecord, 'operations'>): string | null {
  const operations = [...workOrder.operations].sort((a, b) => a.sequence - b.sequence);
  const current =
    operations.find((op) => op.status === 'RUNNING') ??
    operations.find((op) => op.status === 'PENDING') ??
    operations[operations.length - 1];
  return current?.machineId ?? null;
}

function sameReport(report: ProductionReportRecord, args: ReportProductionRequest): boolean {
  return report.workOrderId === args.workOrderId && report.good === args.good && report.scrap === args.scrap;
}
