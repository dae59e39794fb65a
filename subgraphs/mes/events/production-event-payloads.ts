import type { MachineRecord, WorkOrderRecord } from '../backend/mes-backend';
import type { EventBus } from './event-bus';
import type { ProductionEventType, ProductionPayload } from './event-types';

/** The one way MES code publishes a production event, so every event carries the fields subscriptions filter on. */
export function publishProductionEvent(
  events: EventBus,
  type: ProductionEventType,
  workOrder: Pick<WorkOrderRecord, 'id' | 'salesOrderId'> | null,
  at: string,
  detail: { machineId?: string | null; good?: number | null; scrap?: number | null } = {},
): Promise<string> {
  const payload: ProductionPayload = {
    type,
    workOrderId: workOrder?.id ?? null,
    salesOrderId: workOrder?.salesOrderId ?? null,
    machineId: detail.machineId ?? null,
    good: detail.good ?? null,
    scrap: detail.scrap ?? null,
    at,
  };
  return events.publish('production', payload);
}

export function publishMachineStatus(events: EventBus, previous: MachineRecord, machine: MachineRecord): Promise<string> {
  return events.publish('machine-status', {
    machineId: machine.id,
    workCenter: machine.workCenter,
    previousState: previous.state,
    state: machine.state,
    reasonCode: machine.reasonCode,
    lossCategory: machine.lossCategory,
    at: machine.stateSince,
  });
}
