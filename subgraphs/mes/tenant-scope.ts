import { boundBackend } from '../common/backend-wrapping';
import { pageOf } from '../common/paging';
import type { PageResult } from '../common/paging';
import { forbidden } from '../common/identity';
import type { MaterialLotRecord, MesBackend, NonConformanceRecord, QualityInspectionRecord, WorkOrderRecord } from './backend/mes-backend';
import { productTotals } from './production/production-progress';

const EMPTY: PageResult<never> = { items: [], totalCount: 0 };

/**
 * The MES as a partner may see it: work orders of its sales orders (`owned()`, asked of the ERP: see
 * tenant-orders.ts), lots those work orders produced or consumed, inspections and non-conformances of those
 * work orders. Machines are shop-floor equipment, not a partner's: null / absent. Hidden rows are null by id and
 * absent from lists and relations, wherever they are reached from (`_entities` included). Partners do not write
 * to the MES. Lists are computed from the partner's own orders (few), so paging stays exact.
 */
export function tenantScopedMesBackend(backend: MesBackend, owned: () => Promise<ReadonlySet<string>>): MesBackend {
  const visibleWorkOrderIds = async (ids: readonly string[]): Promise<Set<string>> => {
    const orders = await owned();
    const records = await backend.getWorkOrders([...new Set(ids)]);
    return new Set(records.flatMap((r) => (r && orders.has(r.salesOrderId) ? [r.id] : [])));
  };
  const ownWorkOrders = async (): Promise<WorkOrderRecord[]> => (await backend.getWorkOrdersBySalesOrders([...(await owned())])).flat();
  const lotVisible = async (lots: (MaterialLotRecord | null)[]): Promise<(MaterialLotRecord | null)[]> => {
    const ids = await visibleWorkOrderIds(lots.flatMap((l) => (l?.producedByWorkOrderId ? [l.producedByWorkOrderId] : [])));
    return lots.map((l) => (l?.producedByWorkOrderId && ids.has(l.producedByWorkOrderId) ? l : null));
  };
  const byWorkOrder = async <T extends QualityInspectionRecord | NonConformanceRecord>(records: (T | null)[]): Promise<(T | null)[]> => {
    const ids = await visibleWorkOrderIds(records.flatMap((r) => (r ? [r.workOrderId] : [])));
    return records.map((r) => (r && ids.has(r.workOrderId) ? r : null));
  };
  const groups = async <T>(keys: readonly string[], keep: (key: string) => Promise<boolean>, fetch: () => Promise<T[][]>): Promise<T[][]> => {
    const allowed = await Promise.all(keys.map(keep));
    const result = await fetch();
    return result.map((group, i) => (allowed[i] ? group : []));
  };
  const ownsWorkOrder = async (id: string) => (await visibleWorkOrderIds([id])).has(id);
  const refuseWrite = () => {
    throw forbidden('a partner may not write to the MES');
  };

  return {
    ...boundBackend(backend),
    getWorkOrders: async (ids) => {
      const orders = await owned();
      return (await backend.getWorkOrders(ids)).map((r) => (r && orders.has(r.salesOrderId) ? r : null));
    },
    listWorkOrders: async (filter, page) => {
      const matching = (await ownWorkOrders()).filter(
        (w) =>
          (!filter.status || w.status === filter.status) &&
          (!filter.salesOrderId || w.salesOrderId === filter.salesOrderId) &&
          (!filter.sku || w.sku === filter.sku) &&
          (!filter.machineId || w.operations.some((o) => o.machineId === filter.machineId)),
      );
      return pageOf(matching.sort((a, b) => a.scheduledStart.localeCompare(b.scheduledStart) || a.id.localeCompare(b.id)), page);
    },
    getWorkOrdersBySalesOrders: async (ids) => {
      const orders = await owned();
      return (await backend.getWorkOrdersBySalesOrders(ids)).map((group, i) => (orders.has(ids[i]) ? group : []));
    },
    getWorkOrdersByProducts: async (skus) => {
      const orders = await owned();
      return (await backend.getWorkOrdersByProducts(skus)).map((g) => g.filter((w) => orders.has(w.salesOrderId)));
    },
    // A partner's totals cover its own work orders only, so they are derived from those, not the stored totals.
    getProductTotals: async (skus) => {
      const orders = await owned();
      return (await backend.getWorkOrdersByProducts(skus)).map((g, i) => productTotals(skus[i]!, g.filter((w) => orders.has(w.salesOrderId))));
    },
    getWorkOrdersByMachines: async (machineIds) => machineIds.map(() => []),
    getMachines: async (ids) => ids.map(() => null),
    listMachines: async () => EMPTY,
    getStateHistory: async (ids) => ids.map(() => []),
    getProductionCounts: async (ids) => ids.map(() => []),
    getLots: async (lotNumbers) => lotVisible(await backend.getLots(lotNumbers)),
    listLots: async (filter, page) => {
      const ids = (await ownWorkOrders()).map((w) => w.id);
      const lots = (await backend.getLotsProducedBy(ids)).flat().filter((l) => !filter.sku || l.sku === filter.sku);
      return pageOf(lots.sort((a, b) => a.lotNumber.localeCompare(b.lotNumber)), page);
    },
    getLotsProducedBy: (ids) => groups(ids, ownsWorkOrder, () => backend.getLotsProducedBy(ids)),
    getLotsConsumedBy: (ids) => groups(ids, ownsWorkOrder, () => backend.getLotsConsumedBy(ids)),
    getLotChildren: async (lotNumbers) => {
      const result = await backend.getLotChildren(lotNumbers);
      const visible = await lotVisible(result.flat());
      const keep = new Set(visible.flatMap((l) => (l ? [l.lotNumber] : [])));
      return result.map((g) => g.filter((l) => keep.has(l.lotNumber)));
    },
    getInspections: async (ids) => byWorkOrder(await backend.getInspections(ids)),
    getInspectionsByWorkOrders: (ids) => groups(ids, ownsWorkOrder, () => backend.getInspectionsByWorkOrders(ids)),
    getInspectionsByLots: async (lotNumbers) => {
      const result = await backend.getInspectionsByLots(lotNumbers);
      const visible = new Set((await byWorkOrder(result.flat())).flatMap((r) => (r ? [r.id] : [])));
      return result.map((g) => g.filter((r) => visible.has(r.id)));
    },
    listInspections: async (filter, page) => {
      const ids = (await ownWorkOrders()).map((w) => w.id).filter((id) => !filter.workOrderId || id === filter.workOrderId);
      const all = (await backend.getInspectionsByWorkOrders(ids)).flat().filter((r) => !filter.result || r.result === filter.result);
      return pageOf(all.sort((a, b) => a.id.localeCompare(b.id)), page);
    },
    getNonConformances: async (ids) => byWorkOrder(await backend.getNonConformances(ids)),
    listNonConformances: async (filter, page) => {
      if (filter.workOrderId && !(await ownsWorkOrder(filter.workOrderId))) return EMPTY;
      const result = await backend.listNonConformances(filter, { offset: 0, limit: 100_000 });
      const visible = (await byWorkOrder(result.items)).filter((r): r is NonConformanceRecord => r !== null);
      return pageOf(visible, page);
    },
    transitionWorkOrder: refuseWrite,
    reportProduction: refuseWrite,
    recordInspection: refuseWrite,
    recordMachineState: refuseWrite,
    recordProductionCount: refuseWrite,
  };
}
