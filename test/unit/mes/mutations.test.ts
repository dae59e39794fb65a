import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { Clock } from '../../../subgraphs/common/clock';
import { ANCHOR, DATASET, MesHarness } from './harness';

const REPORT = `mutation($workOrderId: ID!, $good: Int!, $scrap: Int!, $key: String!) {
  reportProduction(workOrderId: $workOrderId, good: $good, scrap: $scrap, idempotencyKey: $key) {
    duplicate
    report { id idempotencyKey good scrap at machine { id } workOrder { id } }
    workOrder { id status quantityGood quantityScrap actualStart operations { sequence status } }
  }
}`;

const RECORD = `mutation($input: RecordInspectionInput!) {
  recordInspection(input: $input) {
    inspection { id result characteristic measuredValue inspectedAt lot { lotNumber } workOrder { id } nonConformance { id } }
    nonConformance { id status description openedAt workOrder { id } lot { lotNumber } inspection { id } }
  }
}`;

/** Writes go to a fresh backend per test, so each starts from the seeded state. */
describe('MES mutations', () => {
  let mes: MesHarness;
  beforeAll(async () => (mes = await MesHarness.start()));
  afterAll(() => mes.stop());
  // A minute after the anchor, so writes land after the seeded history.
  const now = new Date(ANCHOR.getTime() + 60_000);
  const clock: Clock = () => new Date(now);
  const fresh = () => {
    const backend = createMockMesBackend(DATASET);
    return {
      backend,
      run: (query: string, variables?: Record<string, unknown>) => mes.run(backend, clock, query, variables),
    };
  };

  it('releases a PLANNED work order', async () => {
    const { run } = fresh();
    const result = await run(`mutation { releaseWorkOrder(id: "WO-000076") { id status } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.releaseWorkOrder).toEqual({ id: 'WO-000076', status: 'RELEASED' });
    const after = await run(`{ workOrder(id: "WO-000076") { status } }`);
    expect(after.data.workOrder.status).toBe('RELEASED');
  });

  it('reports production on a RELEASED work order: it starts RUNNING and the quantities add up', async () => {
    const { backend, run } = fresh();
    // WO-000053: RELEASED, 30 planned, nothing made; first operation on CUT-01.
    const result = await run(REPORT, { workOrderId: 'WO-000053', good: 10, scrap: 1, key: 'shift-1/WO-000053/1' });
    expect(result.errors).toBeUndefined();
    expect(result.data.reportProduction).toEqual({
      duplicate: false,
      report: {
        id: expect.any(String),
        idempotencyKey: 'shift-1/WO-000053/1',
        good: 10,
        scrap: 1,
        at: now.toISOString(),
        machine: { id: 'CUT-01' },
        workOrder: { id: 'WO-000053' },
      },
      workOrder: {
        id: 'WO-000053',
        status: 'RUNNING',
        quantityGood: 10,
        quantityScrap: 1,
        actualStart: now.toISOString(),
        operations: [
          { sequence: 10, status: 'RUNNING' },
          { sequence: 20, status: 'PENDING' },
          { sequence: 30, status: 'PENDING' },
          { sequence: 40, status: 'PENDING' },
        ],
      },
    });
    // The count reached the machine: a minute later it shows in CUT-01's OEE.
    const later = () => new Date(now.getTime() + 60_000);
    const oee = await mes.run(backend, later, `{ machine(id: "CUT-01") { oee(from: "2026-03-02T06:00:00.000Z") { goodCount scrapCount } } }`);
    expect(oee.data.machine.oee).toEqual({ goodCount: 10, scrapCount: 1 });
  });

  it('counts a retried report once and returns the first result', async () => {
    const { run } = fresh();
    const args = { workOrderId: 'WO-000048', good: 7, scrap: 2, key: 'retry-me' };
    const first = await run(REPORT, args);
    const second = await run(REPORT, args);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(first.data.reportProduction.duplicate).toBe(false);
    expect(second.data.reportProduction.duplicate).toBe(true);
    expect(second.data.reportProduction.report).toEqual(first.data.reportProduction.report);
    // WO-000048 had 153 good and 2 scrap.
    expect(second.data.reportProduction.workOrder).toMatchObject({ status: 'RUNNING', quantityGood: 160, quantityScrap: 4 });
  });

  it('counts concurrent retries of the same report once', async () => {
    const { run } = fresh();
    const args = { workOrderId: 'WO-000053', good: 5, scrap: 0, key: 'burst' };
    const results = await Promise.all(Array.from({ length: 6 }, () => run(REPORT, args)));
    expect(results.every((result) => result.errors === undefined)).toBe(true);
    const payloads = results.map((result) => result.data.reportProduction);
    expect(payloads.filter((payload) => !payload.duplicate)).toHaveLength(1);
    expect(new Set(payloads.map((payload) => payload.report.id)).size).toBe(1);
    const after = await run(`{ workOrder(id: "WO-000053") { status quantityGood quantityScrap } }`);
    expect(after.data.workOrder).toEqual({ status: 'RUNNING', quantityGood: 5, quantityScrap: 0 });
  });

  it('records a passing inspection without a non-conformance', async () => {
    const { run } = fresh();
    const result = await run(RECORD, {
      input: { workOrderId: 'WO-000048', characteristic: 'Bore diameter', measuredValue: 25.0, lowerLimit: 24.95, upperLimit: 25.05, unit: 'mm' },
    });
    expect(result.errors).toBeUndefined();
    expect(result.data.recordInspection).toMatchObject({
      inspection: { result: 'PASS', characteristic: 'Bore diameter', measuredValue: 25, inspectedAt: now.toISOString(), lot: null, nonConformance: null },
      nonConformance: null,
    });
  });

  it('opens a non-conformance for a failed inspection and links it everywhere', async () => {
    const { run } = fresh();
    const result = await run(RECORD, {
      input: {
        workOrderId: 'WO-000002',
        lotNumber: 'LOT-FG-000001',
        characteristic: '  Flatness ',
        measuredValue: 0.25,
        lowerLimit: 0,
        upperLimit: 0.1,
        unit: 'mm',
      },
    });
    expect(result.errors).toBeUndefined();
    const { inspection, nonConformance } = result.data.recordInspection;
    expect(inspection).toMatchObject({
      result: 'FAIL',
      characteristic: 'Flatness',
      lot: { lotNumber: 'LOT-FG-000001' },
      workOrder: { id: 'WO-000002' },
      nonConformance: { id: nonConformance.id },
    });
    expect(nonConformance).toEqual({
      id: expect.any(String),
      status: 'OPEN',
      description: 'Flatness 0.25 mm outside 0–0.1 mm',
      openedAt: now.toISOString(),
      workOrder: { id: 'WO-000002' },
      lot: { lotNumber: 'LOT-FG-000001' },
      inspection: { id: inspection.id },
    });
    const after = await run(`{
      workOrder(id: "WO-000002") { inspections { id result } }
      materialLot(lotNumber: "LOT-FG-000001") { inspections { id } }
      nonConformances(filter: { status: OPEN, workOrderId: "WO-000002" }) { nodes { id } }
    }`);
    expect(after.data.workOrder.inspections).toContainEqual({ id: inspection.id, result: 'FAIL' });
    expect(after.data.materialLot.inspections).toContainEqual({ id: inspection.id });
    expect(after.data.nonConformances.nodes).toEqual([{ id: nonConformance.id }]);
  });
});
