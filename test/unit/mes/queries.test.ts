import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { ANCHOR, atAnchor, DATASET, MesHarness } from './harness';

/** Read-only operations against the seeded dataset (seed 7, scale 50); every expected value is from that data. */
describe('MES queries', () => {
  const backend = createMockMesBackend(DATASET);
  let mes: MesHarness;
  beforeAll(async () => (mes = await MesHarness.start()));
  afterAll(() => mes.stop());
  const run = (query: string, variables?: Record<string, unknown>) => mes.run(backend, atAnchor, query, variables);

  it('reads a work order with its operations, references, lots and inspections', async () => {
    const result = await run(`{
      workOrder(id: "WO-000048") {
        id erpReference number status quantityPlanned quantityGood quantityScrap
        scheduledStart scheduledEnd actualStart actualEnd
        salesOrder { id } product { sku }
        operations { sequence name workCenter status startedAt endedAt machine { id } }
        inspections { id result nonConformance { id number status } }
      }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.workOrder).toEqual({
      id: 'WO-000048',
      erpReference: 'MFG-WO-2026-00006',
      number: 'WO-2026-00006',
      status: 'RUNNING',
      quantityPlanned: 280,
      quantityGood: 153,
      quantityScrap: 2,
      scheduledStart: '2026-03-01T16:00:00.000Z',
      scheduledEnd: '2026-03-02T05:33:35.000Z',
      actualStart: '2026-03-01T14:17:18.000Z',
      actualEnd: null,
      salesOrder: { id: 'SO-000029' },
      product: { sku: 'FG-0004' },
      operations: [
        { sequence: 10, name: 'Laser cutting', workCenter: 'Cutting', status: 'RUNNING', startedAt: '2026-03-01T14:17:18.000Z', endedAt: null, machine: { id: 'CUT-03' } },
        { sequence: 20, name: 'Powder coating', workCenter: 'Finishing', status: 'PENDING', startedAt: null, endedAt: null, machine: { id: 'FIN-03' } },
      ],
      inspections: expect.arrayContaining([
        { id: 'QI-000101', result: 'FAIL', nonConformance: { id: 'NC-000002', number: 'NCR-2026-00001', status: 'OPEN' } },
      ]),
    });
  });

  it('answers null for an unknown id', async () => {
    const result = await run(`{ workOrder(id: "WO-999999") { id } machine(id: "NOPE") { id } materialLot(lotNumber: "LOT-X") { lotNumber }
      qualityInspection(id: "QI-999999") { id } nonConformance(id: "NC-999999") { id } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({ workOrder: null, machine: null, materialLot: null, qualityInspection: null, nonConformance: null });
  });

  it('filters and pages work orders with cursors', async () => {
    const first = await run(`{ workOrders(filter: { status: RUNNING }, first: 3) {
      totalCount nodes { id } pageInfo { hasNextPage hasPreviousPage endCursor } } }`);
    expect(first.errors).toBeUndefined();
    const page = first.data.workOrders;
    expect(page.totalCount).toBe(9);
    // Ordered by scheduledStart, then id.
    expect(page.nodes).toEqual([{ id: 'WO-000074' }, { id: 'WO-000049' }, { id: 'WO-000068' }]);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const next = await run(`query($after: String) { workOrders(filter: { status: RUNNING }, first: 100, after: $after) {
      edges { node { id status } } pageInfo { hasNextPage hasPreviousPage } } }`, { after: page.pageInfo.endCursor });
    expect(next.data.workOrders.edges).toHaveLength(6);
    expect(next.data.workOrders.edges.every((edge: any) => edge.node.status === 'RUNNING')).toBe(true);
    expect(next.data.workOrders.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true });

    const bySalesOrder = await run(`{ workOrders(filter: { salesOrderId: "SO-000036", status: null }) { nodes { id } } }`);
    expect(bySalesOrder.data.workOrders.nodes.map((n: any) => n.id).sort()).toEqual(['WO-000061', 'WO-000062', 'WO-000063']);
  });

  it('reads a machine with its equipment path, live state and current work order', async () => {
    const result = await run(`{
      machine(id: "CNC-03") { id name workCenter equipmentPath { site area workCenter } idealCycleTime
        state stateSince reasonCode lossCategory currentWorkOrder { id number } }
      machines(filter: { workCenter: "Cutting" }) { totalCount nodes { id } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.machine).toMatchObject({
      id: 'CNC-03',
      name: 'CNC Mill 03',
      workCenter: 'Machining',
      equipmentPath: { site: 'Lyon Plant', area: 'Fabrication', workCenter: 'Machining' },
      state: 'DOWN',
      stateSince: '2026-03-02T05:51:00.000Z',
      reasonCode: 'Machine malfunction',
      lossCategory: 'AVAILABILITY',
      currentWorkOrder: { id: 'WO-000056', number: 'WO-2026-00014' },
    });
    expect(result.data.machines).toEqual({
      totalCount: 4,
      nodes: [{ id: 'CUT-01' }, { id: 'CUT-02' }, { id: 'CUT-03' }, { id: 'CUT-04' }],
    });
  });

  it('computes OEE over an explicit window from the seeded history', async () => {
    // CUT-01, 22:00–06:00 (8 h): RUNNING until 22:33 (33 min), planned MAINTENANCE 22:33–01:55 (202 min),
    // RUNNING 01:55–02:34 (39 min), then IDLE (quality hold) until the window end (206 min).
    // Counts inside: good 25+24+26+1+27+26+15 = 144, scrap 1+1+1 = 3. Ideal cycle time 26 s.
    const result = await run(`{ machine(id: "CUT-01") {
      oee(from: "2026-03-01T22:00:00.000Z", to: "2026-03-02T06:00:00.000Z") {
        from to windowTime plannedLossTime plannedTime runTime stopTime idealCycleTime
        totalCount goodCount scrapCount availability performance quality oee }
      downtimeEvents(from: "2026-03-01T22:00:00.000Z", to: "2026-03-02T06:00:00.000Z") { state reasonCode lossCategory planned from to durationSeconds }
    } }`);
    expect(result.errors).toBeUndefined();
    const oee = result.data.machine.oee;
    expect(oee).toMatchObject({
      from: '2026-03-01T22:00:00.000Z',
      to: '2026-03-02T06:00:00.000Z',
      windowTime: 28_800,
      plannedLossTime: 12_120,
      plannedTime: 16_680,
      runTime: 4_320,
      stopTime: 12_360,
      idealCycleTime: 26,
      totalCount: 147,
      goodCount: 144,
      scrapCount: 3,
    });
    expect(oee.availability).toBeCloseTo(4_320 / 16_680, 12);
    expect(oee.performance).toBeCloseTo((26 * 147) / 4_320, 12);
    expect(oee.quality).toBeCloseTo(144 / 147, 12);
    expect(oee.oee).toBeCloseTo((4_320 / 16_680) * ((26 * 147) / 4_320) * (144 / 147), 12);
    expect(result.data.machine.downtimeEvents).toEqual([
      { state: 'MAINTENANCE', reasonCode: 'Planned maintenance', lossCategory: 'PLANNED', planned: true, from: '2026-03-01T22:33:00.000Z', to: '2026-03-02T01:55:00.000Z', durationSeconds: 12_120 },
      { state: 'IDLE', reasonCode: 'Quality hold', lossCategory: 'QUALITY', planned: false, from: '2026-03-02T02:34:00.000Z', to: null, durationSeconds: 12_360 },
    ]);
  });

  it('defaults the OEE window to the last 24 h of the clock', async () => {
    const result = await run(`{ machine(id: "CUT-01") { oee { from to windowTime } stateHistory { from } } }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.machine.oee).toEqual({ from: '2026-03-01T06:00:00.000Z', to: ANCHOR.toISOString(), windowTime: 86_400 });
    const history = result.data.machine.stateHistory;
    expect(Date.parse(history[0].from)).toBeLessThanOrEqual(Date.parse('2026-03-01T06:00:00.000Z'));
    expect(history[history.length - 1].from).toBe('2026-03-02T02:34:00.000Z');
  });

  it('walks lot genealogy up and down, and across work orders', async () => {
    const result = await run(`{
      materialLot(lotNumber: "LOT-FG-000001") {
        lotNumber product { sku } quantity unitOfMeasure createdAt
        producedBy { id consumedLots { lotNumber } }
        consumedBy { id }
        parents { lotNumber producedBy { id } consumedBy { id } }
        inspections { id result }
      }
      raw: materialLot(lotNumber: "LOT-RM-000002") { children { lotNumber } parents { lotNumber } producedBy { id } }
    }`);
    expect(result.errors).toBeUndefined();
    const lot = result.data.materialLot;
    expect(lot).toMatchObject({
      lotNumber: 'LOT-FG-000001',
      product: { sku: 'FG-0004' },
      quantity: 127,
      unitOfMeasure: 'Nos',
      createdAt: '2025-11-04T12:55:49.000Z',
      producedBy: { id: 'WO-000002', consumedLots: [{ lotNumber: 'LOT-RM-000001' }, { lotNumber: 'LOT-RM-000002' }] },
      consumedBy: [],
      inspections: [{ id: 'QI-000001', result: 'PASS' }],
    });
    expect(lot.parents.map((p: any) => p.lotNumber)).toEqual(['LOT-RM-000001', 'LOT-RM-000002']);
    expect(lot.parents[0].producedBy).toBeNull();
    expect(lot.parents[0].consumedBy).toEqual(expect.arrayContaining([{ id: 'WO-000002' }]));
    expect(result.data.raw.parents).toEqual([]);
    expect(result.data.raw.producedBy).toBeNull();
    expect(result.data.raw.children).toEqual(expect.arrayContaining([{ lotNumber: 'LOT-FG-000001' }]));
  });

  it('lists lots, inspections and non-conformances with filters', async () => {
    const result = await run(`{
      materialLots(filter: { sku: "RM-0004" }, first: 2) { totalCount nodes { lotNumber } }
      qualityInspections(filter: { result: FAIL }) { totalCount nodes { id workOrder { id } lot { lotNumber } nonConformance { id } } }
      nonConformances(filter: { status: OPEN }) { totalCount nodes { id number description status openedAt inspection { id } workOrder { id } lot { lotNumber } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.materialLots).toEqual({ totalCount: 9, nodes: [{ lotNumber: 'LOT-RM-000001' }, { lotNumber: 'LOT-RM-000008' }] });
    expect(result.data.qualityInspections).toEqual({
      totalCount: 2,
      nodes: [
        { id: 'QI-000019', workOrder: { id: 'WO-000011' }, lot: { lotNumber: 'LOT-FG-000017' }, nonConformance: { id: 'NC-000001' } },
        { id: 'QI-000101', workOrder: { id: 'WO-000048' }, lot: null, nonConformance: { id: 'NC-000002' } },
      ],
    });
    expect(result.data.nonConformances).toEqual({
      totalCount: 1,
      nodes: [{
        id: 'NC-000002',
        number: 'NCR-2026-00001',
        description: 'Bore diameter 24.933 mm outside 24.95–25.05 mm',
        status: 'OPEN',
        openedAt: '2026-03-02T00:18:33.000Z',
        inspection: { id: 'QI-000101' },
        workOrder: { id: 'WO-000048' },
        lot: null,
      }],
    });
  });
});
