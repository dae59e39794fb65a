import type { IsoDateTime, Page, PageResult } from '../../common/paging';
import type { PendingEvent } from '../events/event-types';

/**
 * The MES subgraph reads and writes only through this interface. Implementations: the in-memory mock
 * (mocks/mes) and, later, a PostgreSQL store. Reads are batch-shaped (many keys per call, results in key order,
 * null or [] for a miss) so per-request DataLoaders turn N lookups into one call.
 */
/** A product's work orders summed up: open quantity (not completed or cancelled) and all output so far. */
export interface ProductTotalsRecord {
  sku: string;
  workInProgress: number;
  quantityGood: number;
  quantityScrap: number;
}

export interface MesBackend {
  /**
   * True when the backend stores the `events` given to a write in the same transaction as the write (an outbox)
   * and publishes them itself once durable. When false, the caller publishes them after the write returns.
   */
  readonly persistsEvents: boolean;

  getWorkOrders(ids: readonly string[]): Promise<(WorkOrderRecord | null)[]>;
  /** Ordered by scheduledStart, then id. */
  listWorkOrders(filter: WorkOrderFilter, page: Page): Promise<PageResult<WorkOrderRecord>>;
  getWorkOrdersBySalesOrders(salesOrderIds: readonly string[]): Promise<WorkOrderRecord[][]>;
  getWorkOrdersByProducts(skus: readonly string[]): Promise<WorkOrderRecord[][]>;
  /**
   * Per sku, in key order: the totals `productTotals` (production/production-progress.ts) derives from the sku's
   * work orders — what Product.workInProgress and qualityYield need, without reading a product's thousands of
   * work orders per request. Zeros for a sku without work orders.
   */
  getProductTotals(skus: readonly string[]): Promise<ProductTotalsRecord[]>;
  /** Work orders that list the machine on one of their operations. */
  getWorkOrdersByMachines(machineIds: readonly string[]): Promise<WorkOrderRecord[][]>;

  getMachines(ids: readonly string[]): Promise<(MachineRecord | null)[]>;
  listMachines(filter: MachineFilter, page: Page): Promise<PageResult<MachineRecord>>;
  /**
   * State intervals overlapping [from, to) per machine, oldest first; the last one may be open (`to` null).
   * One window for the whole batch: callers group keys by window.
   */
  getStateHistory(machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime): Promise<StateIntervalRecord[][]>;
  /** Production counts reported by each machine with `at` in [from, to), oldest first. */
  getProductionCounts(machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime): Promise<ProductionCountRecord[][]>;

  getLots(lotNumbers: readonly string[]): Promise<(MaterialLotRecord | null)[]>;
  listLots(filter: LotFilter, page: Page): Promise<PageResult<MaterialLotRecord>>;
  getLotsProducedBy(workOrderIds: readonly string[]): Promise<MaterialLotRecord[][]>;
  getLotsConsumedBy(workOrderIds: readonly string[]): Promise<MaterialLotRecord[][]>;
  /** Lots whose parentLotNumbers contain each lot number (genealogy, one generation down). */
  getLotChildren(lotNumbers: readonly string[]): Promise<MaterialLotRecord[][]>;

  getInspections(ids: readonly string[]): Promise<(QualityInspectionRecord | null)[]>;
  getInspectionsByWorkOrders(workOrderIds: readonly string[]): Promise<QualityInspectionRecord[][]>;
  getInspectionsByLots(lotNumbers: readonly string[]): Promise<QualityInspectionRecord[][]>;
  listInspections(filter: InspectionFilter, page: Page): Promise<PageResult<QualityInspectionRecord>>;

  getNonConformances(ids: readonly string[]): Promise<(NonConformanceRecord | null)[]>;
  listNonConformances(filter: NonConformanceFilter, page: Page): Promise<PageResult<NonConformanceRecord>>;

  /** Compare-and-set on status: null when the work order is not in `from` any more. */
  transitionWorkOrder(
    id: string,
    from: WorkOrderStatus,
    to: WorkOrderStatus,
    at: IsoDateTime,
    /** Written with the transition, only if it happens. */
    events?: PendingEvent[],
  ): Promise<WorkOrderRecord | null>;
  /**
   * Adds good/scrap to a work order, once per idempotency key: a repeated key returns the first report
   * with `duplicate: true` and changes nothing.
   */
  reportProduction(
    input: ProductionReportInput,
    /** Written with the report; not for a duplicate. */
    events?: PendingEvent[],
  ): Promise<{ report: ProductionReportRecord; duplicate: boolean }>;
  /** Stores the inspection; a FAIL result also opens a non-conformance in the same write. */
  recordInspection(
    input: NewInspection,
    events?: PendingEvent[],
  ): Promise<{ inspection: QualityInspectionRecord; nonConformance: NonConformanceRecord | null }>;

  /** Closes the machine's open state interval at `at` and opens one in the new state (simulator, telemetry). */
  recordMachineState(
    machineId: string,
    change: MachineStateChange,
    events?: PendingEvent[],
  ): Promise<{ previous: MachineRecord; machine: MachineRecord }>;
  /** A counter reading from the machine itself (telemetry), independent of work-order reports. */
  recordProductionCount(count: ProductionCountRecord): Promise<void>;
}

export interface MachineStateChange {
  state: MachineState;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
  at: IsoDateTime;
}

export const WORK_ORDER_STATUSES = ['PLANNED', 'RELEASED', 'RUNNING', 'PAUSED', 'COMPLETED', 'CANCELLED'] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const OPERATION_STATUSES = ['PENDING', 'RUNNING', 'DONE'] as const;
export type OperationStatus = (typeof OPERATION_STATUSES)[number];

export interface OperationRecord {
  sequence: number;
  name: string;
  workCenter: string;
  machineId: string;
  status: OperationStatus;
  startedAt: IsoDateTime | null;
  endedAt: IsoDateTime | null;
}

export interface WorkOrderRecord {
  id: string;
  /** ERPNext Work Order name, e.g. `MFG-WO-2026-00001`. */
  erpReference: string;
  number: string;
  salesOrderId: string;
  sku: string;
  quantityPlanned: number;
  quantityGood: number;
  quantityScrap: number;
  status: WorkOrderStatus;
  scheduledStart: IsoDateTime;
  scheduledEnd: IsoDateTime;
  actualStart: IsoDateTime | null;
  actualEnd: IsoDateTime | null;
  operations: OperationRecord[];
}

export const MACHINE_STATES = ['RUNNING', 'IDLE', 'SETUP', 'DOWN', 'MAINTENANCE', 'OFFLINE'] as const;
export type MachineState = (typeof MACHINE_STATES)[number];

export const LOSS_CATEGORIES = ['PLANNED', 'AVAILABILITY', 'PERFORMANCE', 'QUALITY'] as const;
export type LossCategory = (typeof LOSS_CATEGORIES)[number];

export interface MachineRecord {
  id: string;
  name: string;
  /** ISA-95 equipment hierarchy. */
  site: string;
  area: string;
  workCenter: string;
  /** Seconds per unit at rated speed: the "ideal cycle time" of the OEE performance term. */
  idealCycleTimeSeconds: number;
  state: MachineState;
  stateSince: IsoDateTime;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
  currentWorkOrderId: string | null;
}

export interface StateIntervalRecord {
  machineId: string;
  state: MachineState;
  reasonCode: string | null;
  lossCategory: LossCategory | null;
  from: IsoDateTime;
  /** null while the machine is still in this state. */
  to: IsoDateTime | null;
}

export interface ProductionCountRecord {
  machineId: string;
  workOrderId: string | null;
  at: IsoDateTime;
  good: number;
  scrap: number;
}

export interface MaterialLotRecord {
  lotNumber: string;
  sku: string;
  quantity: number;
  unitOfMeasure: string;
  /** The work order whose output this lot is; null for purchased raw material. */
  producedByWorkOrderId: string | null;
  consumedByWorkOrderIds: string[];
  /** Lots this lot was made from (genealogy, one generation up). */
  parentLotNumbers: string[];
  createdAt: IsoDateTime;
}

export const INSPECTION_RESULTS = ['PASS', 'FAIL'] as const;
export type InspectionResult = (typeof INSPECTION_RESULTS)[number];

export interface QualityInspectionRecord {
  id: string;
  workOrderId: string;
  lotNumber: string | null;
  characteristic: string;
  measuredValue: number;
  lowerLimit: number;
  upperLimit: number;
  unit: string;
  result: InspectionResult;
  inspectedAt: IsoDateTime;
  nonConformanceId: string | null;
}

export const NON_CONFORMANCE_STATUSES = ['OPEN', 'UNDER_REVIEW', 'CLOSED'] as const;
export type NonConformanceStatus = (typeof NON_CONFORMANCE_STATUSES)[number];

export interface NonConformanceRecord {
  id: string;
  number: string;
  inspectionId: string;
  workOrderId: string;
  lotNumber: string | null;
  description: string;
  status: NonConformanceStatus;
  openedAt: IsoDateTime;
}

export interface ProductionReportRecord {
  id: string;
  idempotencyKey: string;
  workOrderId: string;
  machineId: string | null;
  good: number;
  scrap: number;
  at: IsoDateTime;
}

export interface WorkOrderFilter {
  status?: WorkOrderStatus;
  salesOrderId?: string;
  sku?: string;
  machineId?: string;
}

export interface MachineFilter {
  workCenter?: string;
  state?: MachineState;
}

export interface LotFilter {
  sku?: string;
}

export interface InspectionFilter {
  result?: InspectionResult;
  workOrderId?: string;
}

export interface NonConformanceFilter {
  status?: NonConformanceStatus;
  workOrderId?: string;
}

export interface ProductionReportInput {
  workOrderId: string;
  good: number;
  scrap: number;
  idempotencyKey: string;
  machineId: string | null;
  at: IsoDateTime;
}

export interface NewInspection {
  workOrderId: string;
  lotNumber: string | null;
  characteristic: string;
  measuredValue: number;
  lowerLimit: number;
  upperLimit: number;
  unit: string;
  inspectedAt: IsoDateTime;
}
