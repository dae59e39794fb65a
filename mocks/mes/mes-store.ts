import type {
  MachineRecord,
  MaterialLotRecord,
  NonConformanceRecord,
  QualityInspectionRecord,
  WorkOrderRecord,
} from '../../subgraphs/mes/backend/mes-backend';
import { addToIndex } from '../backend-support';
import { compareIds, Sequence, YearlySeries } from '../dataset/ids';
import type { MesData } from '../dataset/world';
import { MachineTimeline } from './machine-timeline';

/**
 * The MES mock's tables and indexes. Indexes hold ids, never records, so replacing a record in its table is
 * the whole of an update. Every id list is in the order its list query promises.
 */
export class MesStore {
  readonly workOrders = new Map<string, WorkOrderRecord>();
  /** By scheduledStart, then id. Scheduling never changes after generation, so the order holds. */
  readonly workOrderIds: string[];
  /** Each work order's place in workOrderIds, to put an index's subset into list order. */
  readonly workOrderPosition = new Map<string, number>();
  /** The grouped indexes are in id order: for one sales order that is its line order. */
  readonly workOrdersBySalesOrder = new Map<string, string[]>();
  readonly workOrdersBySku = new Map<string, string[]>();
  readonly workOrdersByMachine = new Map<string, string[]>();
  readonly machines = new Map<string, MachineRecord>();
  readonly machineIds: string[];
  readonly timelines = new Map<string, MachineTimeline>();
  readonly lots = new Map<string, MaterialLotRecord>();
  readonly lotNumbers: string[];
  readonly lotsProducedBy = new Map<string, string[]>();
  readonly lotsConsumedBy = new Map<string, string[]>();
  readonly lotChildren = new Map<string, string[]>();
  readonly inspections = new Map<string, QualityInspectionRecord>();
  readonly inspectionIds: string[];
  readonly inspectionsByWorkOrder = new Map<string, string[]>();
  readonly inspectionsByLot = new Map<string, string[]>();
  readonly nonConformances = new Map<string, NonConformanceRecord>();
  readonly nonConformanceIds: string[];

  readonly inspectionSequence: Sequence;
  readonly nonConformanceSequence: Sequence;
  readonly nonConformanceNumbers: YearlySeries;

  constructor(mes: MesData) {
    for (const wo of mes.workOrders) this.workOrders.set(wo.id, wo);
    this.workOrderIds = mes.workOrders
      .slice()
      .sort((a, b) => Date.parse(a.scheduledStart) - Date.parse(b.scheduledStart) || compareIds(a.id, b.id))
      .map((wo) => wo.id);
    this.workOrderIds.forEach((id, position) => this.workOrderPosition.set(id, position));
    for (const id of [...this.workOrders.keys()].sort(compareIds)) {
      const wo = this.workOrders.get(id)!;
      addToIndex(this.workOrdersBySalesOrder, wo.salesOrderId, id);
      addToIndex(this.workOrdersBySku, wo.sku, id);
      for (const machineId of new Set(wo.operations.map((op) => op.machineId))) addToIndex(this.workOrdersByMachine, machineId, id);
    }

    for (const machine of mes.machines) {
      this.machines.set(machine.id, machine);
      this.timelines.set(machine.id, new MachineTimeline());
    }
    this.machineIds = [...this.machines.keys()].sort(compareIds);
    for (const interval of mes.stateIntervals) this.timelines.get(interval.machineId)!.addInterval(interval);
    for (const count of mes.productionCounts) this.timelines.get(count.machineId)!.addCount(count);

    for (const lot of mes.lots) this.lots.set(lot.lotNumber, lot);
    this.lotNumbers = [...this.lots.keys()].sort(compareIds);
    for (const lotNumber of this.lotNumbers) {
      const lot = this.lots.get(lotNumber)!;
      if (lot.producedByWorkOrderId !== null) addToIndex(this.lotsProducedBy, lot.producedByWorkOrderId, lotNumber);
      for (const workOrderId of lot.consumedByWorkOrderIds) addToIndex(this.lotsConsumedBy, workOrderId, lotNumber);
      for (const parent of lot.parentLotNumbers) addToIndex(this.lotChildren, parent, lotNumber);
    }

    for (const inspection of mes.inspections) this.inspections.set(inspection.id, inspection);
    this.inspectionIds = [...this.inspections.keys()].sort(compareIds);
    for (const id of this.inspectionIds) this.indexInspection(this.inspections.get(id)!);
    for (const nc of mes.nonConformances) this.nonConformances.set(nc.id, nc);
    this.nonConformanceIds = [...this.nonConformances.keys()].sort(compareIds);

    this.inspectionSequence = Sequence.after('QI', 6, this.inspectionIds);
    this.nonConformanceSequence = Sequence.after('NC', 6, this.nonConformanceIds);
    this.nonConformanceNumbers = YearlySeries.after('NCR', 5, mes.nonConformances.map((nc) => nc.number));
  }

  /** New inspections carry the highest id yet, so appending keeps every list in id order. */
  addInspection(inspection: QualityInspectionRecord): void {
    this.inspections.set(inspection.id, inspection);
    this.inspectionIds.push(inspection.id);
    this.indexInspection(inspection);
  }

  addNonConformance(nonConformance: NonConformanceRecord): void {
    this.nonConformances.set(nonConformance.id, nonConformance);
    this.nonConformanceIds.push(nonConformance.id);
  }

  private indexInspection(inspection: QualityInspectionRecord): void {
    addToIndex(this.inspectionsByWorkOrder, inspection.workOrderId, inspection.id);
    if (inspection.lotNumber !== null) addToIndex(this.inspectionsByLot, inspection.lotNumber, inspection.id);
  }
}
