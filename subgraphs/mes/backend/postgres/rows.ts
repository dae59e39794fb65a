import type {
  MachineRecord,
  MaterialLotRecord,
  NonConformanceRecord,
  ProductionCountRecord,
  ProductionReportRecord,
  QualityInspectionRecord,
  StateIntervalRecord,
  WorkOrderRecord,
} from '../mes-backend';
import { isoOrNull } from './sql';

/** SELECT lists and row → record mappers: the one place that knows both the column and the field names. */

/** Work orders with their operations as one JSON array (in list position), so a batch is one query. */
export const WORK_ORDER_SELECT = `
  SELECT wo.*, (
    SELECT coalesce(json_agg(json_build_object(
      'sequence', o.sequence, 'name', o.name, 'workCenter', o.work_center, 'machineId', o.machine_id,
      'status', o.status, 'startedAt', iso(o.started_at), 'endedAt', iso(o.ended_at)) ORDER BY o.position), '[]'::json)
    FROM operations o WHERE o.work_order_id = wo.id) AS operations
  FROM work_orders wo`;

export const toWorkOrder = (r: any): WorkOrderRecord => ({
  id: r.id,
  erpReference: r.erp_reference,
  number: r.number,
  salesOrderId: r.sales_order_id,
  sku: r.sku,
  quantityPlanned: r.quantity_planned,
  quantityGood: r.quantity_good,
  quantityScrap: r.quantity_scrap,
  status: r.status,
  scheduledStart: r.scheduled_start.toISOString(),
  scheduledEnd: r.scheduled_end.toISOString(),
  actualStart: isoOrNull(r.actual_start),
  actualEnd: isoOrNull(r.actual_end),
  operations: r.operations,
});

export const toMachine = (r: any): MachineRecord => ({
  id: r.id,
  name: r.name,
  site: r.site,
  area: r.area,
  workCenter: r.work_center,
  idealCycleTimeSeconds: r.ideal_cycle_time_seconds,
  state: r.state,
  stateSince: r.state_since.toISOString(),
  reasonCode: r.reason_code,
  lossCategory: r.loss_category,
  currentWorkOrderId: r.current_work_order_id,
});

export const toInterval = (r: any): StateIntervalRecord => ({
  machineId: r.machine_id,
  state: r.state,
  reasonCode: r.reason_code,
  lossCategory: r.loss_category,
  from: r.from_at.toISOString(),
  to: isoOrNull(r.to_at),
});

export const toCount = (r: any): ProductionCountRecord => ({
  machineId: r.machine_id,
  workOrderId: r.work_order_id,
  at: r.at.toISOString(),
  good: r.good,
  scrap: r.scrap,
});

/** Lots with their consumers and parents in list position. */
export const LOT_SELECT = `
  SELECT l.*,
    ARRAY(SELECT c.work_order_id FROM lot_consumption c WHERE c.lot_number = l.lot_number ORDER BY c.position) AS consumed_by,
    ARRAY(SELECT g.parent_lot_number FROM lot_genealogy g WHERE g.child_lot_number = l.lot_number ORDER BY g.position) AS parents
  FROM lots l`;

export const toLot = (r: any): MaterialLotRecord => ({
  lotNumber: r.lot_number,
  sku: r.sku,
  quantity: r.quantity,
  unitOfMeasure: r.unit_of_measure,
  producedByWorkOrderId: r.produced_by_work_order_id,
  consumedByWorkOrderIds: r.consumed_by,
  parentLotNumbers: r.parents,
  createdAt: r.created_at.toISOString(),
});

export const toInspection = (r: any): QualityInspectionRecord => ({
  id: r.id,
  workOrderId: r.work_order_id,
  lotNumber: r.lot_number,
  characteristic: r.characteristic,
  measuredValue: r.measured_value,
  lowerLimit: r.lower_limit,
  upperLimit: r.upper_limit,
  unit: r.unit,
  result: r.result,
  inspectedAt: r.inspected_at.toISOString(),
  nonConformanceId: r.non_conformance_id,
});

export const toNonConformance = (r: any): NonConformanceRecord => ({
  id: r.id,
  number: r.number,
  inspectionId: r.inspection_id,
  workOrderId: r.work_order_id,
  lotNumber: r.lot_number,
  description: r.description,
  status: r.status,
  openedAt: r.opened_at.toISOString(),
});

export const toReport = (r: any): ProductionReportRecord => ({
  id: r.id,
  idempotencyKey: r.idempotency_key,
  workOrderId: r.work_order_id,
  machineId: r.machine_id,
  good: r.good,
  scrap: r.scrap,
  at: r.at.toISOString(),
});
