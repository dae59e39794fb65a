import { badUserInput, notFound } from '../../common/errors';
import type { WorkOrderRecord } from '../backend/mes-backend';
import type { MesContext } from '../context';
import { announce, productionEvent } from '../events/production-event-payloads';

/** PLANNED → RELEASED: the work order is handed to the shop floor. */
export async function releaseWorkOrder(ctx: MesContext, id: string): Promise<WorkOrderRecord> {
  const current = await ctx.loaders.workOrder.load(id);
  if (!current) throw notFound('work order', id, 'id');
  if (current.status !== 'PLANNED') throw notReleasable(current);
  const at = ctx.clock().toISOString();
  const firstMachine = [...current.operations].sort((a, b) => a.sequence - b.sequence)[0]?.machineId ?? null;
  const events = [productionEvent('WORK_ORDER_RELEASED', current, at, { machineId: firstMachine })];
  const released = await ctx.backend.transitionWorkOrder(id, 'PLANNED', 'RELEASED', at, events);
  if (!released) {
    // Compare-and-set lost to a concurrent change: name the status that change left behind.
    const now = await ctx.loaders.workOrder.clear(id).load(id);
    throw notReleasable(now ?? current);
  }
  ctx.loaders.workOrder.clear(id).prime(id, released);
  await announce(ctx, events);
  return released;
}

function notReleasable(workOrder: WorkOrderRecord) {
  return badUserInput(
    `work order ${workOrder.number} is ${workOrder.status}; only a PLANNED work order can be released`,
    'id',
  );
}
