import { badUserInput, notFound } from '../../common/errors';
import type { WorkOrderRecord } from '../backend/mes-backend';
import type { MesContext } from '../context';
import { publishProductionEvent } from '../events/production-event-payloads';

/** PLANNED → RELEASED: the work order is handed to the shop floor. */
export async function releaseWorkOrder(ctx: MesContext, id: string): Promise<WorkOrderRecord> {
  const current = await ctx.loaders.workOrder.load(id);
  if (!current) throw notFound('work order', id, 'id');
  if (current.status !== 'PLANNED') throw notReleasable(current);
  const released = await ctx.backend.transitionWorkOrder(id, 'PLANNED', 'RELEASED', ctx.clock().toISOString());
  if (!released) {
    // Compare-and-set lost to a concurrent change: name the status that change left behind.
    const now = await ctx.loaders.workOrder.clear(id).load(id);
    throw notReleasable(now ?? current);
  }
  ctx.loaders.workOrder.clear(id).prime(id, released);
  const firstMachine = [...released.operations].sort((a, b) => a.sequence - b.sequence)[0]?.machineId ?? null;
  await publishProductionEvent(ctx.events, 'WORK_ORDER_RELEASED', released, ctx.clock().toISOString(), { machineId: firstMachine });
  return released;
}

function notReleasable(workOrder: WorkOrderRecord) {
  return badUserInput(
    `work order ${workOrder.number} is ${workOrder.status}; only a PLANNED work order can be released`,
    'id',
  );
}
