import type { MachineRecord, WorkOrderRecord } from '../backend/mes-backend';
import type { MesContext } from '../context';
import type { PendingEvent, ProductionEventType } from './event-types';

/** The one way MES code describes a production event, so every event carries the fields subscriptions filter on. */
export function productionEvent(
  type: ProductionEventType,
  workOrder: Pick<WorkOrderRecord, 'id' | 'salesOrderId'> | null,
  at: string,
  detail: { machineId?: string | null; good?: number | null; scrap?: number | null } = {},
): PendingEvent {
  return {
    stream: 'production',
    payload: {
      type,
      workOrderId: workOrder?.id ?? null,
      salesOrderId: workOrder?.salesOrderId ?? null,
      machineId: detail.machineId ?? null,
      good: detail.good ?? null,
      scrap: detail.scrap ?? null,
      at,
    },
  };
}

export function machineStatusEvent(previous: MachineRecord, change: Pick<MachineRecord, 'state' | 'reasonCode' | 'lossCategory'>, at: string): PendingEvent {
  return {
    stream: 'machine-status',
    payload: {
      machineId: previous.id,
      workCenter: previous.workCenter,
      previousState: previous.state,
      state: change.state,
      reasonCode: change.reasonCode,
      lossCategory: change.lossCategory,
      at,
    },
  };
}

/**
 * After a write succeeded: a backend with an outbox already holds its events and publishes them once durable;
 * otherwise they are published here, in order.
 */
export async function announce(ctx: MesContext, events: PendingEvent[]): Promise<void> {
  if (ctx.backend.persistsEvents) return;
  for (const event of events) await ctx.events.publish(event.stream, event.payload as never);
}
