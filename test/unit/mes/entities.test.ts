import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { ANCHOR, atAnchor, DATASET, MesHarness } from './harness';

const ENTITIES = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  __typename
  ... on SalesOrder { id workOrders { id status }
    productionProgress { quantityPlanned quantityGood quantityScrap percentComplete workOrderCount completedWorkOrderCount }
    productionRisk { level projectedCompletion remainingQuantity ratePerHour goodRatePerHour } }
  ... on Product { sku workInProgress qualityYield }
  ... on WorkOrder { id number quantityPlanned product { sku } }
  ... on Machine { id state }
  ... on MaterialLot { lotNumber children { lotNumber } }
  ... on QualityInspection { id result }
  ... on NonConformance { id status }
} }`;

const HOUR_MS = 3_600_000;

/** The gateway's view: `_entities` calls as the query planner makes them, with @requires fields included. */
describe('MES _entities', () => {
  const backend = createMockMesBackend(DATASET);
  let mes: MesHarness;
  beforeAll(async () => (mes = await MesHarness.start()));
  afterAll(() => mes.stop());
  const entities = async (representations: object[]) => {
    const result = await mes.run(backend, atAnchor, ENTITIES, { representations });
    expect(result.errors).toBeUndefined();
    return result.data._entities;
  };
  const salesOrder = (id: string, dueDate: string) => ({ __typename: 'SalesOrder', id, dueDate });

  it('extends a sales order with its work orders, progress and an ON_TRACK risk at the measured rate', async () => {
    // SO-000032: WO-000056 RUNNING 105 planned / 85 good / 4 scrap, WO-000057 PAUSED 110 / 85 / 3, started 2026-02-27T05:07:06Z.
    const [order] = await entities([salesOrder('SO-000032', '2026-03-10T01:29:43.000Z')]);
    const hours = (ANCHOR.getTime() - Date.parse('2026-02-27T05:07:06.000Z')) / HOUR_MS;
    const goodRate = 170 / hours;
    expect(order).toMatchObject({
      __typename: 'SalesOrder',
      id: 'SO-000032',
      workOrders: [{ id: 'WO-000056', status: 'RUNNING' }, { id: 'WO-000057', status: 'PAUSED' }],
      productionProgress: { quantityPlanned: 215, quantityGood: 170, quantityScrap: 7, workOrderCount: 2, completedWorkOrderCount: 0 },
      productionRisk: { level: 'ON_TRACK', remainingQuantity: 45 },
    });
    expect(order.productionProgress.percentComplete).toBeCloseTo((170 / 215) * 100, 12);
    expect(order.productionRisk.ratePerHour).toBeCloseTo(177 / hours, 12);
    expect(order.productionRisk.goodRatePerHour).toBeCloseTo(goodRate, 12);
    const projected = Date.parse(order.productionRisk.projectedCompletion);
    expect(Math.abs(projected - (ANCHOR.getTime() + (45 / goodRate) * HOUR_MS))).toBeLessThanOrEqual(1);
  });

  it('judges risk against the due date the representation carries', async () => {
    const [atRisk, late, notStarted, lateUnstarted, complete, unknown] = await entities([
      salesOrder('SO-000032', '2026-03-02T12:00:00.000Z'), // needs ~19 h more, due in 6 h
      salesOrder('SO-000029', '2026-01-25T22:38:49.000Z'),
      salesOrder('SO-000034', '2026-03-08T00:22:26.000Z'), // one RELEASED work order, not started
      salesOrder('SO-000031', '2026-02-27T03:32:30.000Z'), // not started and past due
      salesOrder('SO-000001', '2025-12-11T18:07:17.000Z'), // both work orders COMPLETED
      salesOrder('SO-999999', '2026-03-02T12:00:00.000Z'),
    ]);
    expect(atRisk.productionRisk.level).toBe('AT_RISK');
    expect(late.productionRisk).toMatchObject({ level: 'LATE', remainingQuantity: (280 - 153) + (120 - 12) });
    expect(notStarted.productionRisk).toEqual({
      level: 'NOT_STARTED', projectedCompletion: null, remainingQuantity: 100, ratePerHour: null, goodRatePerHour: null,
    });
    expect(lateUnstarted.productionRisk).toMatchObject({ level: 'LATE', projectedCompletion: null, remainingQuantity: 495 });
    expect(complete.productionRisk).toMatchObject({ level: 'COMPLETE', remainingQuantity: 0, projectedCompletion: '2025-11-06T20:58:40.000Z' });
    expect(complete.productionProgress).toMatchObject({ percentComplete: 100, workOrderCount: 2, completedWorkOrderCount: 2 });
    // A sales order MES has never seen: the ERP owns the key, MES simply has no production for it.
    expect(unknown).toMatchObject({
      id: 'SO-999999',
      workOrders: [],
      productionProgress: { quantityPlanned: 0, percentComplete: 0, workOrderCount: 0 },
      productionRisk: { level: 'NOT_STARTED', remainingQuantity: 0 },
    });
  });

  it('extends a product with work in progress and quality yield', async () => {
    const [fg4, unknown] = await entities([{ __typename: 'Product', sku: 'FG-0004' }, { __typename: 'Product', sku: 'NOPE' }]);
    // Open FG-0004 work orders: 280−153, 100, 125−38, 150, 270. Over all 15 of them: 1819 good, 44 scrap.
    expect(fg4).toMatchObject({ __typename: 'Product', sku: 'FG-0004', workInProgress: 127 + 100 + 87 + 150 + 270 });
    expect(fg4.qualityYield).toBeCloseTo(1819 / 1863, 12);
    expect(unknown).toEqual({ __typename: 'Product', sku: 'NOPE', workInProgress: 0, qualityYield: null });
  });

  it('resolves MES-owned entities by key and unknown keys to null, in representation order', async () => {
    const result = await entities([
      { __typename: 'WorkOrder', id: 'WO-000048' },
      { __typename: 'WorkOrder', id: 'WO-999999' },
      { __typename: 'Machine', id: 'CNC-03' },
      { __typename: 'Machine', id: 'NOPE' },
      { __typename: 'MaterialLot', lotNumber: 'LOT-RM-000002' },
      { __typename: 'MaterialLot', lotNumber: 'LOT-NOPE' },
      { __typename: 'QualityInspection', id: 'QI-000101' },
      { __typename: 'QualityInspection', id: 'QI-999999' },
      { __typename: 'NonConformance', id: 'NC-000001' },
      { __typename: 'NonConformance', id: 'NC-999999' },
    ]);
    expect(result[0]).toEqual({ __typename: 'WorkOrder', id: 'WO-000048', number: 'WO-2026-00006', quantityPlanned: 280, product: { sku: 'FG-0004' } });
    expect(result[2]).toEqual({ __typename: 'Machine', id: 'CNC-03', state: 'DOWN' });
    expect(result[4].children).toEqual(expect.arrayContaining([{ lotNumber: 'LOT-FG-000001' }]));
    expect(result[6]).toEqual({ __typename: 'QualityInspection', id: 'QI-000101', result: 'FAIL' });
    expect(result[8]).toEqual({ __typename: 'NonConformance', id: 'NC-000001', status: 'CLOSED' });
    expect([result[1], result[3], result[5], result[7], result[9]]).toEqual([null, null, null, null, null]);
  });

  it('publishes the federation keys, the external dueDate and the @requires the ERP relies on', async () => {
    const result = await mes.run(backend, atAnchor, '{ _service { sdl } }');
    const sdl: string = result.data._service.sdl;
    for (const key of ['"id"', '"sku"', '"lotNumber"']) expect(sdl).toContain(`@key(fields: ${key})`);
    expect(sdl).toMatch(/dueDate: DateTimeISO! @external/);
    expect(sdl).toMatch(/productionRisk: ProductionRisk @requires\(fields: "dueDate"\)/);
    // ERP extends WorkOrder with costs requiring these: names and types must stay.
    expect(sdl).toMatch(/type WorkOrder[^{]*\{[^}]*product: Product[^}]*quantityPlanned: Int![^}]*quantityGood: Int![^}]*quantityScrap: Int!/s);
  });
});
