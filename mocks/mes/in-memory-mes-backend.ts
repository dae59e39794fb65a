import type {
  InspectionFilter,
  LossCategory,
  LotFilter,
  MachineFilter,
  MachineRecord,
  MachineState,
  MaterialLotRecord,
  MesBackend,
  NewInspection,
  NonConformanceFilter,
  NonConformanceRecord,
  ProductionCountRecord,
  ProductionReportInput,
  ProductionReportRecord,
  QualityInspectionRecord,
  StateIntervalRecord,
  WorkOrderFilter,
  ProductTotalsRecord,
  WorkOrderRecord,
  WorkOrderStatus,
} from '../../subgraphs/mes/backend/mes-backend';
import { notFound } from '../../subgraphs/common/errors';
import type { IsoDateTime, Page, PageResult } from '../../subgraphs/common/paging';
import { byKeys, groupedByKeys, instant, selectOrdered } from '../backend-support';
import { deepFreeze } from '../dataset/generate-world';
import { Sequence } from '../dataset/ids';
import { loadWorld } from '../dataset/load-world';
import { ATTACHED_STATES } from '../dataset/machine-history';
import { inspectionResult, nonConformanceDescription } from '../dataset/quality';
import type { World, WorldOptions } from '../dataset/world';
import { MesStore } from './mes-store';
import { applyTransition, runningOperation } from './work-order-transitions';
import { productTotals } from '../../subgraphs/mes/production/production-progress';

const iso = (value: IsoDateTime, field: string) => new Date(instant(value, field)).toISOString();

/**
 * MesBackend over the MES half of a generated world. Indexes hold ids and records are frozen; a write swaps
 * in a new record, so callers and other backends sharing the world never see a record change under them.
 */
export class InMemoryMesBackend implements MesBackend {
  /** Memory is not durable anyway: the caller publishes a write's events once it returns. */
  readonly persistsEvents = false;
  private readonly store: MesStore;
  private readonly reports = new Map<string, ProductionReportRecord>();
  private readonly reportSequence = new Sequence('PR', 6);
  /** Product totals derived on first read and dropped when one of the product's work orders changes. */
  private readonly totalsBySku = new Map<string, ProductTotalsRecord>();
  /** Per machine, the work order running on it (null: none), until one of the machine's work orders is written. */
  private readonly runningByMachine = new Map<string, WorkOrderRecord | null>();

  constructor(world: World) {
    this.store = new MesStore(world.mes);
  }

  async getWorkOrders(ids: readonly string[]) {
    return byKeys(this.store.workOrders, ids);
  }

  async listWorkOrders(filter: WorkOrderFilter, page: Page): Promise<PageResult<WorkOrderRecord>> {
    // Start from the narrowest index the filter allows, put into list order.
    const subset =
      filter.salesOrderId !== undefined ? this.store.workOrdersBySalesOrder.get(filter.salesOrderId) ?? []
      : filter.machineId !== undefined ? this.store.workOrdersByMachine.get(filter.machineId) ?? []
      : filter.sku !== undefined ? this.store.workOrdersBySku.get(filter.sku) ?? []
      : undefined;
    const position = this.store.workOrderPosition;
    const candidates = subset ? [...subset].sort((a, b) => position.get(a)! - position.get(b)!) : this.store.workOrderIds;
    return selectOrdered(candidates, this.store.workOrders, (wo) =>
      (filter.status === undefined || wo.status === filter.status) &&
      (filter.salesOrderId === undefined || wo.salesOrderId === filter.salesOrderId) &&
      (filter.sku === undefined || wo.sku === filter.sku) &&
      (filter.machineId === undefined || wo.operations.some((op) => op.machineId === filter.machineId)),
    page);
  }

  /** Per sales order in line order (work order ids follow the lines). */
  async getWorkOrdersBySalesOrders(salesOrderIds: readonly string[]) {
    return groupedByKeys(this.store.workOrdersBySalesOrder, salesOrderIds, this.store.workOrders);
  }

  async getWorkOrdersByProducts(skus: readonly string[]) {
    return groupedByKeys(this.store.workOrdersBySku, skus, this.store.workOrders);
  }

  async getProductTotals(skus: readonly string[]) {
    return skus.map((sku) => {
      let totals = this.totalsBySku.get(sku);
      if (!totals) this.totalsBySku.set(sku, (totals = productTotals(sku, groupedByKeys(this.store.workOrdersBySku, [sku], this.store.workOrders)[0]!)));
      return totals;
    });
  }

  async getWorkOrdersByMachines(machineIds: readonly string[]) {
    return groupedByKeys(this.store.workOrdersByMachine, machineIds, this.store.workOrders);
  }

  async getMachines(ids: readonly string[]) {
    return byKeys(this.store.machines, ids);
  }

  async listMachines(filter: MachineFilter, page: Page): Promise<PageResult<MachineRecord>> {
    return selectOrdered(this.store.machineIds, this.store.machines, (m) =>
      (filter.workCenter === undefined || m.workCenter === filter.workCenter) && (filter.state === undefined || m.state === filter.state),
    page);
  }

  async getStateHistory(machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime): Promise<StateIntervalRecord[][]> {
    const start = instant(from, 'from');
    const end = instant(to, 'to');
    return machineIds.map((id) => this.store.timelines.get(id)?.statesBetween(start, end) ?? []);
  }

  async getProductionCounts(machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime): Promise<ProductionCountRecord[][]> {
    const start = instant(from, 'from');
    const end = instant(to, 'to');
    return machineIds.map((id) => this.store.timelines.get(id)?.countsBetween(start, end) ?? []);
  }

  async getLots(lotNumbers: readonly string[]) {
    return byKeys(this.store.lots, lotNumbers);
  }

  async listLots(filter: LotFilter, page: Page): Promise<PageResult<MaterialLotRecord>> {
    return selectOrdered(this.store.lotNumbers, this.store.lots, (lot) => filter.sku === undefined || lot.sku === filter.sku, page);
  }

  async getLotsProducedBy(workOrderIds: readonly string[]) {
    return groupedByKeys(this.store.lotsProducedBy, workOrderIds, this.store.lots);
  }

  async getLotsConsumedBy(workOrderIds: readonly string[]) {
    return groupedByKeys(this.store.lotsConsumedBy, workOrderIds, this.store.lots);
  }

  async getLotChildren(lotNumbers: readonly string[]) {
    return groupedByKeys(this.store.lotChildren, lotNumbers, this.store.lots);
  }

  async getInspections(ids: readonly string[]) {
    return byKeys(this.store.inspections, ids);
  }

  async getInspectionsByWorkOrders(workOrderIds: readonly string[]) {
    return groupedByKeys(this.store.inspectionsByWorkOrder, workOrderIds, this.store.inspections);
  }

  async getInspectionsByLots(lotNumbers: readonly string[]) {
    return groupedByKeys(this.store.inspectionsByLot, lotNumbers, this.store.inspections);
  }

  async listInspections(filter: InspectionFilter, page: Page): Promise<PageResult<QualityInspectionRecord>> {
    const candidates = filter.workOrderId !== undefined ? this.store.inspectionsByWorkOrder.get(filter.workOrderId) ?? [] : this.store.inspectionIds;
    return selectOrdered(candidates, this.store.inspections, (i) => filter.result === undefined || i.result === filter.result, page);
  }

  async getNonConformances(ids: readonly string[]) {
    return byKeys(this.store.nonConformances, ids);
  }

  async listNonConformances(filter: NonConformanceFilter, page: Page): Promise<PageResult<NonConformanceRecord>> {
    return selectOrdered(this.store.nonConformanceIds, this.store.nonConformances, (nc) =>
      (filter.status === undefined || nc.status === filter.status) && (filter.workOrderId === undefined || nc.workOrderId === filter.workOrderId),
    page);
  }

  async transitionWorkOrder(id: string, from: WorkOrderStatus, to: WorkOrderStatus, at: IsoDateTime): Promise<WorkOrderRecord | null> {
    const current = this.store.workOrders.get(id);
    if (!current || current.status !== from) return null;
    const next = deepFreeze(applyTransition(current, to, iso(at, 'at')));
    this.putWorkOrder(next);
    for (const machineId of new Set(next.operations.map((op) => op.machineId))) this.refreshAttachment(machineId);
    return next;
  }

  async reportProduction(input: ProductionReportInput): Promise<{ report: ProductionReportRecord; duplicate: boolean }> {
    const earlier = this.reports.get(input.idempotencyKey);
    if (earlier) return { report: earlier, duplicate: true };
    const workOrder = this.store.workOrders.get(input.workOrderId);
    if (!workOrder) throw notFound('WorkOrder', input.workOrderId, 'workOrderId');
    const machineId = input.machineId ?? runningOperation(workOrder)?.machineId ?? null;
    if (machineId !== null && !this.store.machines.has(machineId)) throw notFound('Machine', machineId, 'machineId');
    const at = iso(input.at, 'at');

    this.putWorkOrder(deepFreeze({
      ...workOrder,
      quantityGood: workOrder.quantityGood + input.good,
      quantityScrap: workOrder.quantityScrap + input.scrap,
    }));
    // Synchronous on purpose: no await between the idempotency check above and storing the report below.
    if (machineId !== null) this.addCount({ machineId, workOrderId: workOrder.id, at, good: input.good, scrap: input.scrap });
    const report = deepFreeze({
      id: this.reportSequence.next(),
      idempotencyKey: input.idempotencyKey,
      workOrderId: workOrder.id,
      machineId,
      good: input.good,
      scrap: input.scrap,
      at,
    });
    this.reports.set(input.idempotencyKey, report);
    return { report, duplicate: false };
  }

  async recordInspection(input: NewInspection): Promise<{ inspection: QualityInspectionRecord; nonConformance: NonConformanceRecord | null }> {
    if (!this.store.workOrders.has(input.workOrderId)) throw notFound('WorkOrder', input.workOrderId, 'input.workOrderId');
    if (input.lotNumber !== null && !this.store.lots.has(input.lotNumber)) throw notFound('MaterialLot', input.lotNumber, 'input.lotNumber');
    const inspectedAt = iso(input.inspectedAt, 'input.inspectedAt');
    const result = inspectionResult(input.measuredValue, input.lowerLimit, input.upperLimit);
    const id = this.store.inspectionSequence.next();

    let nonConformance: NonConformanceRecord | null = null;
    if (result === 'FAIL') {
      nonConformance = deepFreeze({
        id: this.store.nonConformanceSequence.next(),
        number: this.store.nonConformanceNumbers.next(Date.parse(inspectedAt)),
        inspectionId: id,
        workOrderId: input.workOrderId,
        lotNumber: input.lotNumber,
        description: nonConformanceDescription(input.characteristic, input.measuredValue, input.lowerLimit, input.upperLimit, input.unit),
        status: 'OPEN',
        openedAt: inspectedAt,
      });
      this.store.addNonConformance(nonConformance);
    }
    const inspection: QualityInspectionRecord = deepFreeze({
      id,
      workOrderId: input.workOrderId,
      lotNumber: input.lotNumber,
      characteristic: input.characteristic,
      measuredValue: input.measuredValue,
      lowerLimit: input.lowerLimit,
      upperLimit: input.upperLimit,
      unit: input.unit,
      result,
      inspectedAt,
      nonConformanceId: nonConformance?.id ?? null,
    });
    this.store.addInspection(inspection);
    return { inspection, nonConformance };
  }

  /**
   * Not part of MesBackend: the machine simulator and telemetry ingest use it to move a machine to a new
   * state, closing its open interval. Returns the machine before and after.
   */
  async recordMachineState(
    machineId: string,
    change: { state: MachineState; reasonCode: string | null; lossCategory: LossCategory | null; at: IsoDateTime },
  ): Promise<{ previous: MachineRecord; machine: MachineRecord }> {
    const previous = this.store.machines.get(machineId);
    if (!previous) throw notFound('Machine', machineId, 'machineId');
    const interval = this.store.timelines.get(machineId)!.changeState(
      { machineId, state: change.state, reasonCode: change.reasonCode, lossCategory: change.lossCategory },
      instant(change.at, 'at'),
    );
    this.store.machines.set(machineId, deepFreeze({
      ...previous,
      state: interval.state,
      stateSince: interval.from,
      reasonCode: interval.reasonCode,
      lossCategory: interval.lossCategory,
    }));
    this.refreshAttachment(machineId);
    return { previous, machine: this.store.machines.get(machineId)! };
  }

  /** Not part of MesBackend: a counter reading from a machine (simulator, telemetry ingest, production reports). */
  async recordProductionCount(count: ProductionCountRecord): Promise<void> {
    this.addCount(count);
  }

  private addCount(count: ProductionCountRecord): void {
    const timeline = this.store.timelines.get(count.machineId);
    if (!timeline) throw notFound('Machine', count.machineId, 'machineId');
    timeline.addCount(deepFreeze({ ...count, at: iso(count.at, 'at') }));
  }

  /**
   * Every work order write goes through here: the product's totals are derived again on their next read, and so
   * is the work order running on each machine the order has a step on (before or after the write).
   */
  private putWorkOrder(next: WorkOrderRecord): void {
    const previous = this.store.workOrders.get(next.id);
    this.store.workOrders.set(next.id, next);
    this.totalsBySku.delete(next.sku);
    for (const op of previous?.operations ?? []) this.runningByMachine.delete(op.machineId);
    for (const op of next.operations) this.runningByMachine.delete(op.machineId);
  }

  /** A machine names the work order whose step runs on it, while it is in a state that serves one. */
  private refreshAttachment(machineId: string): void {
    const machine = this.store.machines.get(machineId);
    if (!machine) return;
    const currentWorkOrderId = ATTACHED_STATES.has(machine.state) ? this.workOrderRunningOn(machineId)?.id ?? null : null;
    if (currentWorkOrderId !== machine.currentWorkOrderId) this.store.machines.set(machineId, deepFreeze({ ...machine, currentWorkOrderId }));
  }

  /**
   * The first of the machine's work orders whose running step is on it. A machine has hundreds to thousands of
   * them and its state changes far more often than they do, so the answer is kept until one of them is written.
   */
  private workOrderRunningOn(machineId: string): WorkOrderRecord | undefined {
    const known = this.runningByMachine.get(machineId);
    if (known !== undefined) return known ?? undefined;
    let found: WorkOrderRecord | null = null;
    for (const id of this.store.workOrdersByMachine.get(machineId) ?? []) {
      const workOrder = this.store.workOrders.get(id)!;
      if (workOrder.status === 'RUNNING' && runningOperation(workOrder)?.machineId === machineId) {
        found = workOrder;
        break;
      }
    }
    this.runningByMachine.set(machineId, found);
    return found ?? undefined;
  }

}

/** The MES mock of one process: its half of the world that (seed, scale, anchor) always produces. */
export function createMockMesBackend(options: WorldOptions): InMemoryMesBackend {
  return new InMemoryMesBackend(loadWorld(options));
}
