import { loadWorld } from '../../../mocks/dataset/load-world';
import type { WorldOptions } from '../../../mocks/dataset/world';
import { InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { MesBackend, WorkOrderStatus } from '../../../subgraphs/mes/backend/mes-backend';
import type { PendingEvent } from '../../../subgraphs/mes/events/event-types';
import { productionEvent } from '../../../subgraphs/mes/events/production-event-payloads';
import { productTotals } from '../../../subgraphs/mes/production/production-progress';

/** What a backend under test offers the suite. */
export interface ContractSubject {
  backend: MesBackend;
  /** For backends with persistsEvents: every event stored so far, oldest first (the outbox). */
  storedEvents?: () => Promise<PendingEvent[]>;
  close(): Promise<void>;
}

/** Small, and the same on every machine: both backends are seeded with exactly this world. */
export const CONTRACT_DATASET: WorldOptions = { seed: 7, scale: 50 };
const NOW = '2026-03-02T06:00:00.000Z';
const later = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();
const DAY_BEFORE = '2026-03-01T06:00:00.000Z';
const WEEK_BEFORE = '2026-02-20T00:00:00.000Z';

type Call<T> = (backend: MesBackend) => Promise<T>;

/**
 * The MesBackend contract as behaviour: every call is made on the backend under test and on a fresh in-memory
 * reference over the same world, and the answers must be equal (same records, same order, same misses). Writes
 * go to both, in the same order, so later reads still compare. Explicit checks pin down what "equal" relies on.
 * Tests run in file order and share state, as writes build on each other.
 */
export function describeMesBackendContract(name: string, open: (dataset: WorldOptions) => Promise<ContractSubject>): void {
  describe(`MesBackend contract: ${name}`, () => {
    let subject: ContractSubject;
    let reference: InMemoryMesBackend;
    const world = loadWorld(CONTRACT_DATASET).mes;

    beforeAll(async () => {
      subject = await open(CONTRACT_DATASET);
      reference = new InMemoryMesBackend(loadWorld(CONTRACT_DATASET));
    });
    afterAll(async () => {
      await subject?.close();
    });

    /** Same call on both; returns the subject's answer for further checks. */
    async function same<T>(call: Call<T>): Promise<T> {
      const actual = await call(subject.backend);
      expect(actual).toEqual(await call(reference));
      return actual;
    }
    /** Same call fails on both with the same GraphQL error code and field. */
    async function sameFailure(call: Call<unknown>): Promise<void> {
      const outcome = async (backend: MesBackend) => call(backend).then(() => ({ ok: true }), (error: any) => ({ name: error.name, ...error.extensions }));
      const actual = await outcome(subject.backend);
      expect(actual).toEqual(await outcome(reference));
      expect(actual).not.toEqual({ ok: true });
    }
    /** Events the subject stored while `during` ran (only for outbox backends; [] otherwise). */
    async function eventsStoredBy(during: () => Promise<unknown>): Promise<PendingEvent[] | null> {
      if (!subject.storedEvents) {
        await during();
        return null;
      }
      const before = (await subject.storedEvents()).length;
      await during();
      return (await subject.storedEvents()).slice(before);
    }

    /** getProductTotals agrees with the rule applied to the backend's own work orders of each sku. */
    async function expectTotalsDerivedFromWorkOrders(skus: string[]): Promise<void> {
      const groups = await subject.backend.getWorkOrdersByProducts(skus);
      expect(await subject.backend.getProductTotals(skus)).toEqual(groups.map((g, i) => productTotals(skus[i]!, g)));
    }

    const firstWithStatus = (status: WorkOrderStatus) => world.workOrders.filter((wo) => wo.status === status).sort((a, b) => (a.id < b.id ? -1 : 1));
    const machineIds = world.machines.map((m) => m.id);
    const lotNumbers = world.lots.map((l) => l.lotNumber);

    describe('reads', () => {
      it('gets work orders, machines, lots, inspections and non-conformances by key, in key order, null for a miss', async () => {
        const ids = [world.workOrders[3]!.id, 'WO-NOPE', world.workOrders[0]!.id, world.workOrders[3]!.id];
        const workOrders = await same((b) => b.getWorkOrders(ids));
        expect(workOrders.map((wo) => wo?.id ?? null)).toEqual([ids[0], null, ids[2], ids[3]]);
        expect(workOrders[0]!.operations.length).toBeGreaterThan(0);
        await same((b) => b.getWorkOrders([]));
        await same((b) => b.getMachines([machineIds[2]!, 'M-NOPE', machineIds[0]!]));
        await same((b) => b.getLots([lotNumbers[5]!, 'LOT-NOPE', lotNumbers[1]!]));
        await same((b) => b.getInspections([world.inspections[2]!.id, 'QI-NOPE', world.inspections[0]!.id]));
        await same((b) => b.getNonConformances(['NC-NOPE', ...world.nonConformances.slice(0, 3).map((nc) => nc.id)]));
      });

      it('lists work orders by schedule then id, with every filter, paged', async () => {
        const all = await same((b) => b.listWorkOrders({}, { offset: 0, limit: 10_000 }));
        expect(all.totalCount).toBe(world.workOrders.length);
        const starts = all.items.map((wo) => Date.parse(wo.scheduledStart));
        expect(starts).toEqual([...starts].sort((a, b) => a - b));
        for (const page of [{ offset: 0, limit: 7 }, { offset: 5, limit: 3 }, { offset: 10_000, limit: 5 }, { offset: 2, limit: 0 }]) {
          await same((b) => b.listWorkOrders({}, page));
        }
        const sample = world.workOrders[4]!;
        const filters = [
          { status: 'RUNNING' as const },
          { status: 'PLANNED' as const },
          { salesOrderId: sample.salesOrderId },
          { sku: sample.sku },
          { machineId: sample.operations[0]!.machineId },
          { machineId: sample.operations[0]!.machineId, status: 'COMPLETED' as const },
          { salesOrderId: 'SO-NOPE' },
        ];
        for (const filter of filters) await same((b) => b.listWorkOrders(filter, { offset: 1, limit: 4 }));
      });

      it('groups work orders by sales order, product and machine in id order, [] for a miss', async () => {
        const salesOrders = [...new Set(world.workOrders.slice(0, 6).map((wo) => wo.salesOrderId)), 'SO-NOPE'];
        const grouped = await same((b) => b.getWorkOrdersBySalesOrders(salesOrders));
        expect(grouped[grouped.length - 1]).toEqual([]);
        await same((b) => b.getWorkOrdersByProducts(['SKU-NOPE', ...new Set(world.workOrders.map((wo) => wo.sku))]));
        await same((b) => b.getWorkOrdersByMachines([...machineIds.slice(0, 5), 'M-NOPE', machineIds[0]!]));
      });

      it('sums the work orders of each product into its totals, zeros for a miss', async () => {
        const skus = ['SKU-NOPE', ...new Set(world.workOrders.map((wo) => wo.sku))];
        const totals = await same((b) => b.getProductTotals(skus));
        expect(totals[0]).toEqual({ sku: 'SKU-NOPE', workInProgress: 0, quantityGood: 0, quantityScrap: 0 });
        await expectTotalsDerivedFromWorkOrders(skus);
        expect(totals.some((t) => t.workInProgress > 0 && t.quantityGood > 0)).toBe(true);
      });

      it('lists machines by id with filters', async () => {
        await same((b) => b.listMachines({}, { offset: 0, limit: 100 }));
        await same((b) => b.listMachines({ workCenter: world.machines[1]!.workCenter }, { offset: 0, limit: 100 }));
        await same((b) => b.listMachines({ state: 'RUNNING' }, { offset: 1, limit: 2 }));
      });

      it('returns state history and production counts per machine for a window', async () => {
        const keys = [machineIds[1]!, 'M-NOPE', machineIds[0]!];
        for (const [from, to] of [[DAY_BEFORE, NOW], [WEEK_BEFORE, later(60)], [NOW, NOW], [later(5), DAY_BEFORE], ['2026-03-01T12:34:56.789Z', '2026-03-01T13:00:00Z']]) {
          const history = await same((b) => b.getStateHistory(keys, from!, to!));
          expect(history[1]).toEqual([]);
          await same((b) => b.getProductionCounts(keys, from!, to!));
        }
        const recent = await subject.backend.getStateHistory([machineIds[0]!], DAY_BEFORE, later(60));
        expect(recent[0]!.length).toBeGreaterThan(0);
        await sameFailure((b) => b.getStateHistory(keys, 'yesterday', NOW));
      });

      it('serves lots, their producers, consumers and genealogy', async () => {
        await same((b) => b.listLots({}, { offset: 3, limit: 20 }));
        await same((b) => b.listLots({ sku: world.lots[0]!.sku }, { offset: 0, limit: 50 }));
        const workOrderIds = [...world.workOrders.slice(0, 15).map((wo) => wo.id), 'WO-NOPE'];
        await same((b) => b.getLotsProducedBy(workOrderIds));
        const consumed = await same((b) => b.getLotsConsumedBy(workOrderIds));
        expect(consumed.some((lots) => lots.length > 0)).toBe(true);
        const parents = world.lots.filter((lot) => lot.parentLotNumbers.length > 0).flatMap((lot) => lot.parentLotNumbers).slice(0, 10);
        const children = await same((b) => b.getLotChildren([...parents, 'LOT-NOPE']));
        expect(children[0]!.length).toBeGreaterThan(0);
      });

      it('serves inspections and non-conformances with filters', async () => {
        const workOrderIds = [...new Set(world.inspections.slice(0, 10).map((i) => i.workOrderId)), 'WO-NOPE'];
        await same((b) => b.getInspectionsByWorkOrders(workOrderIds));
        await same((b) => b.getInspectionsByLots([...new Set(world.inspections.flatMap((i) => (i.lotNumber ? [i.lotNumber] : [])).slice(0, 10)), 'LOT-NOPE']));
        await same((b) => b.listInspections({}, { offset: 2, limit: 9 }));
        await same((b) => b.listInspections({ result: 'FAIL' }, { offset: 0, limit: 100 }));
        await same((b) => b.listInspections({ workOrderId: workOrderIds[0] }, { offset: 0, limit: 100 }));
        await same((b) => b.listNonConformances({}, { offset: 0, limit: 100 }));
        await same((b) => b.listNonConformances({ status: 'OPEN', workOrderId: world.nonConformances[0]?.workOrderId }, { offset: 0, limit: 100 }));
      });
    });

    describe('writes', () => {
      it('moves a work order by compare-and-set, storing its events only when it moved', async () => {
        const wo = firstWithStatus('PLANNED')[0]!;
        const event = productionEvent('WORK_ORDER_RELEASED', wo, later(1));
        const stored = await eventsStoredBy(() => same((b) => b.transitionWorkOrder(wo.id, 'PLANNED', 'RELEASED', later(1), [event])));
        if (stored) expect(stored).toEqual([event]);
        const again = await eventsStoredBy(() => same((b) => b.transitionWorkOrder(wo.id, 'PLANNED', 'RELEASED', later(2), [event])));
        if (again) expect(again).toEqual([]);
        expect(await subject.backend.transitionWorkOrder(wo.id, 'PLANNED', 'RELEASED', later(2))).toBeNull();
        expect(await subject.backend.transitionWorkOrder('WO-NOPE', 'PLANNED', 'RELEASED', later(2))).toBeNull();

        const running = await same((b) => b.transitionWorkOrder(wo.id, 'RELEASED', 'RUNNING', later(3)));
        expect(running!.actualStart).toBe(later(3));
        expect(running!.operations.filter((op) => op.status === 'RUNNING')).toHaveLength(1);
        await same((b) => b.getMachines([...new Set(wo.operations.map((op) => op.machineId))]));
        await same((b) => b.transitionWorkOrder(wo.id, 'RUNNING', 'PAUSED', later(4)));
        await same((b) => b.transitionWorkOrder(wo.id, 'PAUSED', 'RUNNING', later(5)));
        const done = await same((b) => b.transitionWorkOrder(wo.id, 'RUNNING', 'COMPLETED', later(6)));
        expect(done!.operations.every((op) => op.status === 'DONE')).toBe(true);
        await same((b) => b.getMachines(machineIds));
      });

      it('reports production once per idempotency key', async () => {
        const wo = firstWithStatus('RUNNING')[0]!;
        const input = { workOrderId: wo.id, good: 7, scrap: 1, idempotencyKey: 'contract-report-1', machineId: null, at: later(10) };
        const event = productionEvent('PRODUCTION_REPORTED', wo, later(10), { good: 7, scrap: 1 });
        const stored = await eventsStoredBy(() => same((b) => b.reportProduction(input, [event])));
        if (stored) expect(stored).toEqual([event]);
        const replay = await eventsStoredBy(async () => {
          const second = await same((b) => b.reportProduction({ ...input, good: 99, at: later(11) }, [event]));
          expect(second.duplicate).toBe(true);
          expect(second.report.good).toBe(7);
        });
        if (replay) expect(replay).toEqual([]);
        const [after] = await same((b) => b.getWorkOrders([wo.id]));
        expect(after!.quantityGood).toBe(wo.quantityGood + 7);
        await same((b) => b.getProductionCounts(machineIds, later(9), later(12)));
        await same((b) => b.reportProduction({ ...input, idempotencyKey: 'contract-report-2', machineId: machineIds[1]!, at: later(12) }));
        await same((b) => b.getProductionCounts(machineIds, later(9), later(13)));
        await sameFailure((b) => b.reportProduction({ ...input, idempotencyKey: 'contract-report-3', workOrderId: 'WO-NOPE' }));
        await sameFailure((b) => b.reportProduction({ ...input, idempotencyKey: 'contract-report-4', machineId: 'M-NOPE' }));
        await same((b) => b.listWorkOrders({}, { offset: 0, limit: 10_000 }));
        // The product's totals follow its work orders' writes (no stale derived totals).
        const [totals] = await same((b) => b.getProductTotals([wo.sku]));
        expect(totals!.quantityGood).toBeGreaterThanOrEqual(wo.quantityGood + 14);
        await expectTotalsDerivedFromWorkOrders([wo.sku]);
      });

      it('records inspections; a FAIL opens a non-conformance in the same write', async () => {
        const wo = world.workOrders[2]!;
        const base = { workOrderId: wo.id, lotNumber: null, characteristic: 'diameter', lowerLimit: 9.9, upperLimit: 10.1, unit: 'mm', inspectedAt: later(20) };
        const pass = await same((b) => b.recordInspection({ ...base, measuredValue: 10 }));
        expect(pass.nonConformance).toBeNull();
        const fail = await same((b) => b.recordInspection({ ...base, measuredValue: 10.4, lotNumber: lotNumbers[0]!, inspectedAt: later(21) }));
        expect(fail.inspection.result).toBe('FAIL');
        expect(fail.nonConformance!.inspectionId).toBe(fail.inspection.id);
        await same((b) => b.getInspectionsByWorkOrders([wo.id]));
        await same((b) => b.getInspectionsByLots([lotNumbers[0]!]));
        await same((b) => b.listNonConformances({}, { offset: 0, limit: 1000 }));
        await same((b) => b.getNonConformances([fail.nonConformance!.id]));
        await sameFailure((b) => b.recordInspection({ ...base, measuredValue: 10, workOrderId: 'WO-NOPE' }));
        await sameFailure((b) => b.recordInspection({ ...base, measuredValue: 10, lotNumber: 'LOT-NOPE' }));
      });

      it('records machine state changes: closes the open interval, opens the next, stores the events', async () => {
        const machine = world.machines[0]!;
        const change = { state: 'DOWN' as const, reasonCode: 'JAM', lossCategory: 'AVAILABILITY' as const, at: later(30) };
        const event: PendingEvent = { stream: 'machine-status', payload: { machineId: machine.id, workCenter: machine.workCenter, previousState: machine.state, state: 'DOWN', reasonCode: 'JAM', lossCategory: 'AVAILABILITY', at: later(30) } };
        const stored = await eventsStoredBy(() => same((b) => b.recordMachineState(machine.id, change, [event])));
        if (stored) expect(stored).toEqual([event]);
        await same((b) => b.recordMachineState(machine.id, { state: 'SETUP', reasonCode: 'CHANGEOVER', lossCategory: 'PLANNED', at: later(30) }));
        await same((b) => b.recordMachineState(machine.id, { state: 'RUNNING', reasonCode: null, lossCategory: null, at: later(31) }));
        const history = await same((b) => b.getStateHistory([machine.id], DAY_BEFORE, later(40)));
        expect(history[0]!.at(-1)).toMatchObject({ state: 'RUNNING', to: null });
        await same((b) => b.getMachines(machineIds));
        await sameFailure((b) => b.recordMachineState('M-NOPE', change));
        await same((b) => b.recordProductionCount({ machineId: machine.id, workOrderId: null, at: later(32), good: 3, scrap: 0 }));
        await same((b) => b.getProductionCounts([machine.id], later(31), later(33)));
        await sameFailure((b) => b.recordProductionCount({ machineId: 'M-NOPE', workOrderId: null, at: later(32), good: 3, scrap: 0 }));
      });
    });
  });
}
