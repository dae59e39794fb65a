import type { IsoDateTime } from '../../common/paging';
import type { LossCategory, MachineState } from '../backend/mes-backend';

/**
 * Event ids are Redis stream ids (`<milliseconds>-<sequence>`), also in memory, so a client's last id means the
 * same thing whichever bus is running. They only grow: comparing two ids tells which event came first.
 */
export type EventId = string;

export const EVENT_STREAMS = ['machine-status', 'production'] as const;
export type EventStream = (typeof EVENT_STREAMS)[number];

export const PRODUCTION_EVENT_TYPES = [
  'WORK_ORDER_RELEASED',
  'WORK_ORDER_STARTED',
  'PRODUCTION_REPORTED',
  'WORK_ORDER_COMPLETED',
  'QUALITY_FAILED',
  'MACHINE_DOWN',
] as const;
export type ProductionEventType = (typeof PRODUCTION_EVENT_TYPES)[number];

/** Published on `machine-status` whenever a machine's state changes (simulator, telemetry, operator). */
export interface MachineStatusPayload {
  machineId: string;
  workCenter: string;
  previousState: MachineState;
  state: MachineState;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
  at: IsoDateTime;
}

/**
 * Published on `production`. Carries what subscription filters need (type, sales order, machine) so that
 * filtering happens before any hydration work.
 */
export interface ProductionPayload {
  type: ProductionEventType;
  workOrderId: string | null;
  salesOrderId: string | null;
  machineId: string | null;
  good: number | null;
  scrap: number | null;
  at: IsoDateTime;
}

export interface PayloadOf {
  'machine-status': MachineStatusPayload;
  production: ProductionPayload;
}

export interface BusEvent<S extends EventStream = EventStream> {
  eventId: EventId;
  stream: S;
  payload: PayloadOf[S];
}

/** An event a write produces, before it has an id: stored with the write (outbox) or published after it. */
export type PendingEvent = { [S in EventStream]: { stream: S; payload: PayloadOf[S] } }[EventStream];
