import { badUserInput, notFound } from '../../common/errors';
import type { LossCategory, MachineRecord, MachineState } from '../backend/mes-backend';
import type { MesContext } from '../context';
import { announce, machineStatusEvent, productionEvent } from '../events/production-event-payloads';

export interface MachineStateChangeRequest {
  machineId: string;
  state: MachineState;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
}

/**
 * What the shop floor reports (simulator, telemetry ingest): the machine enters a new state. Stores it, then
 * announces it on `machine-status`; a machine going DOWN is also a production event for the work order it was
 * serving. A report of the state the machine is already in, with the same reason, changes nothing.
 */
export async function changeMachineState(ctx: MesContext, request: MachineStateChangeRequest): Promise<MachineRecord> {
  const current = await ctx.loaders.machine.load(request.machineId);
  if (!current) throw notFound('machine', request.machineId, 'input.machineId');
  if (request.state !== 'RUNNING' && request.state !== 'OFFLINE' && !request.reasonCode) {
    throw badUserInput(`a ${request.state} machine needs a reason code`, 'input.reasonCode');
  }
  if (current.state === request.state && current.reasonCode === request.reasonCode) return current;

  const at = ctx.clock().toISOString();
  const events = [machineStatusEvent(current, request, at)];
  if (request.state === 'DOWN' && current.state !== 'DOWN') {
    // Going down hurts the work order the machine was serving: that is a production event too.
    const servedWorkOrder = current.currentWorkOrderId ? await ctx.loaders.workOrder.load(current.currentWorkOrderId) : null;
    events.push(productionEvent('MACHINE_DOWN', servedWorkOrder, at, { machineId: current.id }));
  }
  const { machine } = await ctx.backend.recordMachineState(
    request.machineId,
    { state: request.state, reasonCode: request.reasonCode, lossCategory: request.lossCategory, at },
    events,
  );
  ctx.loaders.machine.clear(machine.id).prime(machine.id, machine);
  await announce(ctx, events);
  return machine;
}
