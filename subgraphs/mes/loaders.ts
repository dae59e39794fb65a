import DataLoader from 'dataloader';
import type { IsoDateTime } from '../common/paging';
import type {
  MachineRecord,
  MaterialLotRecord,
  MesBackend,
  NonConformanceRecord,
  ProductionCountRecord,
  ProductTotalsRecord,
  QualityInspectionRecord,
  StateIntervalRecord,
  WorkOrderRecord,
} from './backend/mes-backend';

/** A machine's history over one window: the key of the windowed loaders. */
export interface MachineWindowKey {
  machineId: string;
  from: IsoDateTime;
  to: IsoDateTime;
}

export interface MesLoaders {
  workOrder: DataLoader<string, WorkOrderRecord | null>;
  workOrdersBySalesOrder: DataLoader<string, WorkOrderRecord[]>;
  workOrdersByProduct: DataLoader<string, WorkOrderRecord[]>;
  workOrdersByMachine: DataLoader<string, WorkOrderRecord[]>;
  productTotals: DataLoader<string, ProductTotalsRecord>;
  machine: DataLoader<string, MachineRecord | null>;
  stateHistory: DataLoader<MachineWindowKey, StateIntervalRecord[], string>;
  productionCounts: DataLoader<MachineWindowKey, ProductionCountRecord[], string>;
  lot: DataLoader<string, MaterialLotRecord | null>;
  lotsProducedBy: DataLoader<string, MaterialLotRecord[]>;
  lotsConsumedBy: DataLoader<string, MaterialLotRecord[]>;
  lotChildren: DataLoader<string, MaterialLotRecord[]>;
  inspection: DataLoader<string, QualityInspectionRecord | null>;
  inspectionsByWorkOrder: DataLoader<string, QualityInspectionRecord[]>;
  inspectionsByLot: DataLoader<string, QualityInspectionRecord[]>;
  nonConformance: DataLoader<string, NonConformanceRecord | null>;
}

/**
 * One set per request (DataLoader README): N lookups of the same kind in one tick become one backend call,
 * and nothing is cached across requests. The by-key loader of a kind also answers from the records the
 * relation loaders of that kind returned, so following a relation and then the entity itself costs no second read.
 */
export function createMesLoaders(backend: MesBackend): MesLoaders {
  const [workOrder, primeWorkOrders] = byKey((ids) => backend.getWorkOrders(ids), (record: WorkOrderRecord) => record.id);
  const machine = new DataLoader<string, MachineRecord | null>((ids) => backend.getMachines(ids));
  const [lot, primeLots] = byKey((lotNumbers) => backend.getLots(lotNumbers), (record: MaterialLotRecord) => record.lotNumber);
  const [inspection, primeInspections] = byKey((ids) => backend.getInspections(ids), (record: QualityInspectionRecord) => record.id);

  return {
    workOrder,
    workOrdersBySalesOrder: related((ids) => backend.getWorkOrdersBySalesOrders(ids), primeWorkOrders),
    workOrdersByProduct: related((skus) => backend.getWorkOrdersByProducts(skus), primeWorkOrders),
    workOrdersByMachine: related((ids) => backend.getWorkOrdersByMachines(ids), primeWorkOrders),
    productTotals: new DataLoader<string, ProductTotalsRecord>((skus) => backend.getProductTotals(skus)),
    machine,
    stateHistory: windowed((ids, from, to) => backend.getStateHistory(ids, from, to)),
    productionCounts: windowed((ids, from, to) => backend.getProductionCounts(ids, from, to)),
    lot,
    lotsProducedBy: related((ids) => backend.getLotsProducedBy(ids), primeLots),
    lotsConsumedBy: related((ids) => backend.getLotsConsumedBy(ids), primeLots),
    lotChildren: related((lotNumbers) => backend.getLotChildren(lotNumbers), primeLots),
    inspection,
    inspectionsByWorkOrder: related((ids) => backend.getInspectionsByWorkOrders(ids), primeInspections),
    inspectionsByLot: related((lotNumbers) => backend.getInspectionsByLots(lotNumbers), primeInspections),
    nonConformance: new DataLoader<string, NonConformanceRecord | null>((ids) => backend.getNonConformances(ids)),
  };
}

/** Seeds a by-key loader with records that arrived some other way (lists, relations, writes). */
export function primer<T>(loader: DataLoader<string, T | null>, keyOf: (record: T) => string): (records: readonly T[]) => void {
  return (records) => {
    for (const record of records) loader.clear(keyOf(record)).prime(keyOf(record), record);
  };
}

/**
 * A by-key loader, and how to tell it about records other reads returned. Those are kept as the groups they
 * came in and indexed only when a key is first looked up: a relation read of 1,500 work orders (a product's,
 * for workInProgress) costs nothing per record unless something then asks for one of them by id. A key the
 * loader has already answered keeps that answer (DataLoader's cache comes first); writes re-prime explicitly.
 */
function byKey<T>(
  fetch: (keys: readonly string[]) => Promise<(T | null)[]>,
  keyOf: (record: T) => string,
): [DataLoader<string, T | null>, (records: readonly T[]) => void] {
  const groups: (readonly T[])[] = [];
  const known = new Map<string, T>();
  let indexed = 0;
  const lookup = (key: string): T | undefined => {
    for (; indexed < groups.length; indexed += 1) for (const record of groups[indexed]) known.set(keyOf(record), record);
    return known.get(key);
  };
  const loader = new DataLoader<string, T | null>(async (keys) => {
    const results: (T | null | undefined)[] = keys.map(lookup);
    const missing = keys.filter((_, index) => results[index] === undefined);
    if (missing.length === 0) return results as (T | null)[];
    const fetched = await fetch(missing);
    let next = 0;
    return results.map((result) => (result === undefined ? fetched[next++] : result));
  });
  return [loader, (records) => void groups.push(records)];
}

function related<T>(
  fetch: (keys: readonly string[]) => Promise<T[][]>,
  prime: (records: readonly T[]) => void,
): DataLoader<string, T[]> {
  return new DataLoader<string, T[]>(async (keys) => {
    const groups = await fetch(keys);
    for (const group of groups) prime(group);
    return groups;
  });
}

/**
 * The backend takes one window for a whole batch, so keys are grouped by window: a page of machines asked
 * for the same `oee(from, to)` costs one call, and distinct windows cost one call each.
 */
function windowed<T>(
  fetch: (machineIds: readonly string[], from: IsoDateTime, to: IsoDateTime) => Promise<T[][]>,
): DataLoader<MachineWindowKey, T[], string> {
  return new DataLoader<MachineWindowKey, T[], string>(
    async (keys) => {
      const results: T[][] = new Array<T[]>(keys.length);
      const byWindow = new Map<string, number[]>();
      keys.forEach((key, index) => {
        const window = `${key.from}|${key.to}`;
        const indexes = byWindow.get(window);
        if (indexes) indexes.push(index);
        else byWindow.set(window, [index]);
      });
      await Promise.all(
        [...byWindow.values()].map(async (indexes) => {
          const { from, to } = keys[indexes[0]];
          const rows = await fetch(indexes.map((index) => keys[index].machineId), from, to);
          indexes.forEach((keyIndex, rowIndex) => (results[keyIndex] = rows[rowIndex]));
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => `${key.machineId}|${key.from}|${key.to}` },
  );
}
