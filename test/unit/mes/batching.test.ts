import { countCalls } from '../../../mocks/counting-backend';
import { loadWorld } from '../../../mocks/dataset/load-world';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { systemClock } from '../../../subgraphs/common/clock';
import { atAnchor, DATASET, MesHarness } from './harness';

/** What the gateway sends for the portal and bi operations: MES fields of many sales orders at once. */
const SALES_ORDERS = `query($representations: [_Any!]!) { _entities(representations: $representations) {
  ... on SalesOrder {
    id
    productionProgress { percentComplete }
    productionRisk { level projectedCompletion }
    workOrders {
      number status product { sku workInProgress qualityYield }
      operations { sequence machine { id state currentWorkOrder { id } oee { oee } downtimeEvents { state } } }
      consumedLots { lotNumber parents { lotNumber } children { lotNumber } consumedBy { id } }
      producedLots { lotNumber consumedBy { id } }
      inspections { result lot { lotNumber } nonConformance { number workOrder { id } } }
    }
  }
} }`;

describe('MES batching', () => {
  const counted = countCalls(createMockMesBackend(DATASET));
  const salesOrders = loadWorld(DATASET).erp.salesOrders;
  let mes: MesHarness;
  beforeAll(async () => (mes = await MesHarness.start()));
  afterAll(() => mes.stop());

  async function callsFor(orders: typeof salesOrders) {
    const representations = orders.map((order) => ({ __typename: 'SalesOrder', id: order.id, dueDate: order.dueDate }));
    counted.reset();
    const result = await mes.run(counted.backend, atAnchor, SALES_ORDERS, { representations });
    expect(result.errors).toBeUndefined();
    expect(result.data._entities).toHaveLength(orders.length);
    return counted.calls();
  }

  it('costs the same backend calls for 5 and for 40 sales orders, one per kind of read', async () => {
    // Both sets reach every kind of record: running work orders on machines, the open non-conformance of
    // SO-000029, and all seven products — whose work orders, once loaded for workInProgress, prime the work
    // order loader, so neither set needs a separate getWorkOrders. Any difference is a batching difference.
    const five = await callsFor(salesOrders.slice(28, 33));
    const forty = await callsFor(salesOrders.slice(10, 50));
    expect(forty).toEqual(five);
    expect(Object.values(five).every((calls) => calls === 1)).toBe(true);
    expect(Object.keys(five)).toEqual(expect.arrayContaining(['getNonConformances', 'getStateHistory', 'getProductionCounts', 'getMachines']));
  });

  it('reads history once for a page of machines on a moving clock', async () => {
    counted.reset();
    const result = await mes.run(counted.backend, systemClock, `{
      machines(first: 100) { nodes { id oee { oee } stateHistory { state } downtimeEvents { state } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.machines.nodes).toHaveLength(16);
    // One "now" per request: 16 default windows are one window key, hence one call each.
    expect(counted.calls()).toEqual({ listMachines: 1, getStateHistory: 1, getProductionCounts: 1 });
  });

  it('reuses list results for later lookups of the same entities', async () => {
    counted.reset();
    const result = await mes.run(counted.backend, atAnchor, `{
      qualityInspections(filter: { result: FAIL }) { nodes { id nonConformance { inspection { id result } } } }
    }`);
    expect(result.errors).toBeUndefined();
    expect(result.data.qualityInspections.nodes.map((n: any) => n.nonConformance.inspection.id)).toEqual(['QI-000019', 'QI-000101']);
    expect(counted.calls()).toEqual({ listInspections: 1, getNonConformances: 1 });
  });
});
