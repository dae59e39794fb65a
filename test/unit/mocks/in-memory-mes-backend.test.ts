import { GraphQLError } from 'graphql';
import { generateWorld } from '../../../mocks/dataset';
import { createMockMesBackend, InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { createMockErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import type { NewInspection } from '../../../subgraphs/mes/backend/mes-backend';

const world = generateWorld({ seed: 7, scale: 50 });
const newBackend = () => new InMemoryMesBackend(world);
const page = { offset: 0, limit: 10_000 };
const t = Date.parse;
const HOUR = 3_600_000;
const anchor = t(world.anchor);
const at = (offsetMs: number) => new Date(anchor + offsetMs).toISOString();

describe('InMemoryMesBackend reads', () => {
  const backend = newBackend();
  const wo = world.mes.workOrders[2]!;

  it('answers batch lookups in key order with null or [] for misses', async () => {
    expect(await backend.getWorkOrders(['WO-0', wo.id])).toEqual([null, wo]);
    expect(await backend.getMachines([world.mes.machines[1]!.id, 'X-01'])).toEqual([world.mes.machines[1], null]);
    const [mine, none] = await backend.getWorkOrdersBySalesOrders([wo.salesOrderId, 'SO-0']);
    expect(mine).toContainEqual(wo);
    expect(none).toEqual([]);
    expect((await backend.getWorkOrdersByProducts([wo.sku, 'FG-9']))[1]).toEqual([]);
    const [onMachine] = await backend.getWorkOrdersByMachines([wo.operations[0]!.machineId]);
    expect(onMachine).toContainEqual(wo);
  });

  it('lists work orders by scheduledStart then id, with every filter and offset pages', async () => {
    const all = await backend.listWorkOrders({}, page);
    expect(all.totalCount).toBe(world.mes.workOrders.length);
    const keys = all.items.map((w) => [t(w.scheduledStart), w.id] as const);
    expect(keys).toEqual([...keys].sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1])));

    const machineId = wo.operations[1]!.machineId;
    const filtered = await backend.listWorkOrders({ machineId, status: wo.status, sku: wo.sku }, page);
    expect(filtered.items).toContainEqual(wo);
    expect(filtered.items.every((w) => w.status === wo.status && w.sku === wo.sku && w.operations.some((op) => op.machineId === machineId))).toBe(true);
    const bySalesOrder = await backend.listWorkOrders({ salesOrderId: wo.salesOrderId }, page);
    expect(bySalesOrder.items.map((w) => w.id)).toEqual(all.items.filter((w) => w.salesOrderId === wo.salesOrderId).map((w) => w.id));

    const second = await backend.listWorkOrders({}, { offset: 5, limit: 5 });
    expect(second.items).toEqual(all.items.slice(5, 10));
  });

  it('lists machines, lots, inspections and non-conformances with filters', async () => {
    const cutting = await backend.listMachines({ workCenter: 'Cutting' }, page);
    expect(cutting.items.length).toBeGreaterThan(0);
    expect(cutting.items.every((m) => m.workCenter === 'Cutting')).toBe(true);
    expect((await backend.listMachines({ state: 'DOWN' }, page)).items.every((m) => m.state === 'DOWN')).toBe(true);
    const sku = world.mes.lots[0]!.sku;
    expect((await backend.listLots({ sku }, page)).items.every((l) => l.sku === sku)).toBe(true);
    const fails = await backend.listInspections({ result: 'FAIL' }, page);
    expect(fails.totalCount).toBe(world.mes.nonConformances.length);
    const woId = world.mes.inspections[0]!.workOrderId;
    expect((await backend.listInspections({ workOrderId: woId }, page)).items.every((i) => i.workOrderId === woId)).toBe(true);
    const open = await backend.listNonConformances({ status: 'OPEN' }, page);
    expect(open.items.every((nc) => nc.status === 'OPEN')).toBe(true);
    expect(await backend.getNonConformances(['NC-0'])).toEqual([null]);
  });

  it('walks the lot genealogy in both directions', async () => {
    const output = world.mes.lots.find((l) => l.producedByWorkOrderId !== null)!;
    const producer = output.producedByWorkOrderId!;
    const [produced, nothing] = await backend.getLotsProducedBy([producer, 'WO-0']);
    expect(produced).toContainEqual(output);
    expect(nothing).toEqual([]);
    const [consumed] = await backend.getLotsConsumedBy([producer]);
    expect(consumed!.map((l) => l.lotNumber).sort()).toEqual([...output.parentLotNumbers].sort());
    const [children] = await backend.getLotChildren([output.parentLotNumbers[0]!]);
    expect(children).toContainEqual(output);
    expect((await backend.getLotChildren([output.lotNumber]))[0]).toEqual([]);
    const inspected = world.mes.inspections.find((i) => i.lotNumber !== null)!;
    expect((await backend.getInspectionsByLots([inspected.lotNumber!, 'LOT-0']))).toEqual([
      world.mes.inspections.filter((i) => i.lotNumber === inspected.lotNumber),
      [],
    ]);
    expect((await backend.getInspectionsByWorkOrders([inspected.workOrderId]))[0]).toContainEqual(inspected);
  });

  it('returns state intervals overlapping a window, the last one open', async () => {
    const machine = world.mes.machines[0]!;
    const [history, unknown] = await backend.getStateHistory([machine.id, 'X-01'], at(-24 * HOUR), world.anchor);
    expect(unknown).toEqual([]);
    expect(t(history![0]!.from)).toBeLessThanOrEqual(anchor - 24 * HOUR);
    expect(history!.at(-1)!.to).toBeNull();
    const all = world.mes.stateIntervals.filter((i) => i.machineId === machine.id);
    expect(history).toEqual(all.filter((i) => t(i.from) < anchor && (i.to === null || t(i.to) > anchor - 24 * HOUR)));
    // An interval ending exactly at the window start does not overlap it.
    const boundary = all[3]!.to!;
    const [fromBoundary] = await backend.getStateHistory([machine.id], boundary, at(0));
    expect(fromBoundary![0]).toEqual(all[4]);
    await expect(backend.getStateHistory([machine.id], 'soon', world.anchor)).rejects.toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'from' } });
  });

  it('returns production counts with `at` in [from, to)', async () => {
    const count = world.mes.productionCounts[10]!;
    const [included] = await backend.getProductionCounts([count.machineId], count.at, at(0));
    expect(included![0]).toEqual(count);
    const [excluded] = await backend.getProductionCounts([count.machineId], at(-30 * 86_400_000), count.at);
    expect(excluded).not.toContainEqual(count);
    expect(excluded!.every((c) => t(c.at) < t(count.at))).toBe(true);
    expect((await backend.getProductionCounts(['X-01'], at(-HOUR), at(0)))[0]).toEqual([]);
  });

  it('agrees with the ERP mock built alone from the same seed and scale', async () => {
    const erp = createMockErpBackend({ seed: 7, scale: 50 });
    const mes = createMockMesBackend({ seed: 7, scale: 50 });
    const shipments = (await erp.getShipmentsBySalesOrders(world.erp.salesOrders.map((o) => o.id))).flat();
    const lots = await mes.getLots(shipments.flatMap((s) => s.lots.map((l) => l.lotNumber)));
    expect(lots.every((lot) => lot !== null)).toBe(true);
    const orders = await erp.getSalesOrders((await mes.listWorkOrders({}, page)).items.map((w) => w.salesOrderId));
    expect(orders.every((order) => order !== null)).toBe(true);
  });
});

describe('InMemoryMesBackend writes', () => {
  const released = () => world.mes.workOrders.find((w) => w.status === 'RELEASED')!;

  it('transitions by compare-and-set and books times and steps', async () => {
    const backend = newBackend();
    const wo = released();
    const running = (await backend.transitionWorkOrder(wo.id, 'RELEASED', 'RUNNING', at(HOUR)))!;
    expect(running.status).toBe('RUNNING');
    expect(running.actualStart).toBe(at(HOUR));
    expect(running.operations[0]).toMatchObject({ status: 'RUNNING', startedAt: at(HOUR) });
    expect(wo.status).toBe('RELEASED');
    expect(await backend.transitionWorkOrder(wo.id, 'RELEASED', 'CANCELLED', at(HOUR))).toBeNull();
    expect(await backend.transitionWorkOrder('WO-0', 'RELEASED', 'RUNNING', at(HOUR))).toBeNull();

    const done = (await backend.transitionWorkOrder(wo.id, 'RUNNING', 'COMPLETED', at(5 * HOUR)))!;
    expect(done.actualEnd).toBe(at(5 * HOUR));
    expect(done.operations.every((op) => op.status === 'DONE' && op.endedAt === at(5 * HOUR))).toBe(true);
    expect((await backend.getWorkOrders([wo.id]))[0]).toBe(done);
  });

  it('attaches a started work order to the machine of its running step while that machine serves one', async () => {
    const backend = newBackend();
    const wo = released();
    const machineId = wo.operations[0]!.machineId;
    await backend.recordMachineState(machineId, { state: 'RUNNING', reasonCode: null, lossCategory: null, at: at(HOUR) });
    await backend.transitionWorkOrder(wo.id, 'RELEASED', 'RUNNING', at(HOUR));
    const [machine] = await backend.getMachines([machineId]);
    expect(machine!.currentWorkOrderId).not.toBeNull();
    await backend.recordMachineState(machineId, { state: 'IDLE', reasonCode: 'Other', lossCategory: 'PERFORMANCE', at: at(2 * HOUR) });
    expect((await backend.getMachines([machineId]))[0]!.currentWorkOrderId).toBeNull();
  });

  it('never re-attaches a work order that has stopped running on the machine, however often its state changes', async () => {
    const backend = newBackend();
    const wo = world.mes.workOrders.find((w) => w.status === 'RUNNING' && w.operations.some((op) => op.status === 'RUNNING'))!;
    const machineId = wo.operations.find((op) => op.status === 'RUNNING')!.machineId;
    const attached = async () => (await backend.getMachines([machineId]))[0]!.currentWorkOrderId;
    await backend.recordMachineState(machineId, { state: 'RUNNING', reasonCode: null, lossCategory: null, at: at(HOUR) });
    const before = await attached();
    expect(before).not.toBeNull();
    // Many state changes in a row (what the shop floor sends most), then the running order completes.
    for (let i = 0; i < 3; i++) {
      await backend.recordMachineState(machineId, { state: 'IDLE', reasonCode: 'Other', lossCategory: 'PERFORMANCE', at: at(HOUR + 2 * i + 1) });
      await backend.recordMachineState(machineId, { state: 'RUNNING', reasonCode: null, lossCategory: null, at: at(HOUR + 2 * i + 2) });
      expect(await attached()).toBe(before);
    }
    const running = (await backend.getWorkOrders([before!]))[0]!;
    await backend.transitionWorkOrder(running.id, 'RUNNING', 'COMPLETED', at(2 * HOUR));
    await backend.recordMachineState(machineId, { state: 'IDLE', reasonCode: 'Other', lossCategory: 'PERFORMANCE', at: at(2 * HOUR + 1) });
    await backend.recordMachineState(machineId, { state: 'RUNNING', reasonCode: null, lossCategory: null, at: at(2 * HOUR + 2) });
    expect(await attached()).not.toBe(running.id);
    const now = await attached();
    if (now !== null) expect((await backend.getWorkOrders([now]))[0]!.status).toBe('RUNNING');
  });

  it('adds production once per idempotency key, to the work order and its running machine', async () => {
    const backend = newBackend();
    const wo = world.mes.workOrders.find((w) => w.status === 'RUNNING')!;
    const machineId = wo.operations.find((op) => op.status === 'RUNNING')!.machineId;
    const input = { workOrderId: wo.id, good: 12, scrap: 1, idempotencyKey: 'r-1', machineId: null, at: at(10 * 60_000) };
    const first = await backend.reportProduction(input);
    expect(first).toEqual({ duplicate: false, report: { id: 'PR-000001', ...input, machineId, at: input.at } });
    const again = await backend.reportProduction({ ...input, good: 99 });
    expect(again).toEqual({ duplicate: true, report: first.report });
    const [updated] = await backend.getWorkOrders([wo.id]);
    expect([updated!.quantityGood, updated!.quantityScrap]).toEqual([wo.quantityGood + 12, wo.quantityScrap + 1]);
    const [counts] = await backend.getProductionCounts([machineId], at(0), at(HOUR));
    expect(counts).toContainEqual({ machineId, workOrderId: wo.id, at: input.at, good: 12, scrap: 1 });

    const elsewhere = await backend.reportProduction({ ...input, idempotencyKey: 'r-2', machineId: null, workOrderId: released().id });
    expect(elsewhere.report.machineId).toBeNull();
    await expect(backend.reportProduction({ ...input, idempotencyKey: 'r-3', workOrderId: 'WO-0' })).rejects.toBeInstanceOf(GraphQLError);
  });

  it('records inspections, opening a non-conformance for a reading outside the limits', async () => {
    const backend = newBackend();
    const wo = world.mes.workOrders.find((w) => w.quantityGood > 0)!;
    const base: NewInspection = {
      workOrderId: wo.id, lotNumber: null, characteristic: 'Bore diameter', measuredValue: 25.01,
      lowerLimit: 24.95, upperLimit: 25.05, unit: 'mm', inspectedAt: at(HOUR),
    };
    const pass = await backend.recordInspection(base);
    expect(pass.nonConformance).toBeNull();
    expect(pass.inspection).toMatchObject({ result: 'PASS', nonConformanceId: null });
    expect(pass.inspection.id).toBe(`QI-${String(world.mes.inspections.length + 1).padStart(6, '0')}`);
    expect((await backend.recordInspection({ ...base, measuredValue: 25.05 })).inspection.result).toBe('PASS');

    const fail = await backend.recordInspection({ ...base, measuredValue: 25.08 });
    expect(fail.inspection.result).toBe('FAIL');
    expect(fail.nonConformance).toMatchObject({ inspectionId: fail.inspection.id, workOrderId: wo.id, status: 'OPEN', openedAt: at(HOUR) });
    expect(fail.nonConformance!.number).toMatch(/^NCR-2026-\d{5}$/);
    expect(fail.inspection.nonConformanceId).toBe(fail.nonConformance!.id);
    expect((await backend.getInspectionsByWorkOrders([wo.id]))[0]).toContainEqual(fail.inspection);
    expect((await backend.listNonConformances({ status: 'OPEN' }, page)).items.at(-1)).toEqual(fail.nonConformance);
    await expect(backend.recordInspection({ ...base, lotNumber: 'LOT-0' })).rejects.toBeInstanceOf(GraphQLError);
  });

  it('moves a machine to a new state, closing its open interval', async () => {
    const backend = newBackend();
    const machine = world.mes.machines[0]!;
    const { previous, machine: now } = await backend.recordMachineState(machine.id, { state: 'DOWN', reasonCode: 'Machine malfunction', lossCategory: 'AVAILABILITY', at: at(HOUR) });
    expect(previous).toBe(machine);
    expect(now).toMatchObject({ state: 'DOWN', stateSince: at(HOUR), reasonCode: 'Machine malfunction' });
    const [history] = await backend.getStateHistory([machine.id], at(-HOUR), at(2 * HOUR));
    expect(history!.at(-2)!.to).toBe(at(HOUR));
    expect(history!.at(-1)).toEqual({ machineId: machine.id, state: 'DOWN', reasonCode: 'Machine malfunction', lossCategory: 'AVAILABILITY', from: at(HOUR), to: null });
    await expect(backend.recordMachineState(machine.id, { state: 'IDLE', reasonCode: null, lossCategory: null, at: at(0) })).rejects.toThrow(RangeError);
  });
});
