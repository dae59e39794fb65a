import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { atAnchor, DATASET, errorOf, MesHarness } from './harness';

const REPORT = `mutation($workOrderId: ID!, $good: Int!, $scrap: Int!, $key: String!) {
  reportProduction(workOrderId: $workOrderId, good: $good, scrap: $scrap, idempotencyKey: $key) { report { id } }
}`;
const RECORD = `mutation($input: RecordInspectionInput!) { recordInspection(input: $input) { inspection { id } } }`;
const INSPECTION = { workOrderId: 'WO-000048', characteristic: 'Bore diameter', measuredValue: 25, lowerLimit: 24.95, upperLimit: 25.05, unit: 'mm' };
const report = (overrides: Record<string, unknown>) => ({ workOrderId: 'WO-000048', good: 1, scrap: 0, key: 'k', ...overrides });

/** Every refusal carries BAD_USER_INPUT and the input path a client can highlight. */
describe('MES validation errors', () => {
  let mes: MesHarness;
  beforeAll(async () => (mes = await MesHarness.start()));
  afterAll(() => mes.stop());
  const run = (query: string, variables?: Record<string, unknown>) =>
    mes.run(createMockMesBackend(DATASET), atAnchor, query, variables);

  it.each([
    ['first below 0', `{ workOrders(first: -1) { totalCount } }`, 'first'],
    ['first above the maximum', `{ machines(first: 1001) { totalCount } }`, 'first'],
    ['a cursor this server did not issue', `{ materialLots(after: "garbage") { totalCount } }`, 'after'],
    ['an inverted OEE window', `{ machine(id: "CUT-01") { oee(from: "2026-03-02T00:00:00Z", to: "2026-03-01T00:00:00Z") { oee } } }`, 'from'],
    ['an empty history window', `{ machine(id: "CUT-01") { stateHistory(from: "2026-03-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { state } } }`, 'from'],
    ['a window over 92 days', `{ machine(id: "CUT-01") { downtimeEvents(from: "2025-11-01T00:00:00Z", to: "2026-03-01T00:00:00Z") { state } } }`, 'from'],
    ['a from after now with to omitted', `{ machine(id: "CUT-01") { oee(from: "2026-03-03T00:00:00Z") { oee } } }`, 'from'],
  ])('queries: %s', async (_name, query, field) => {
    expect(errorOf(await run(query))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it.each([
    ['an unknown work order', 'WO-999999', /does not exist/],
    ['a RUNNING work order', 'WO-000048', /WO-2026-00006 is RUNNING; only a PLANNED/],
    ['a RELEASED work order', 'WO-000053', /is RELEASED/],
    ['a COMPLETED work order', 'WO-000001', /is COMPLETED/],
  ])('releaseWorkOrder refuses %s', async (_name, id, message) => {
    const result = await run(`mutation($id: ID!) { releaseWorkOrder(id: $id) { id } }`, { id });
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'id' });
    expect(result.errors?.[0]?.message).toMatch(message);
  });

  it.each([
    ['negative good', report({ good: -1 }), 'good'],
    ['negative scrap', report({ scrap: -3 }), 'scrap'],
    ['good and scrap both zero', report({ good: 0, scrap: 0 }), 'good'],
    ['a blank idempotency key', report({ key: '   ' }), 'idempotencyKey'],
    ['an overlong idempotency key', report({ key: 'k'.repeat(201) }), 'idempotencyKey'],
    ['an unknown work order', report({ workOrderId: 'WO-999999' }), 'workOrderId'],
    ['a PLANNED work order', report({ workOrderId: 'WO-000076' }), 'workOrderId'],
    ['a COMPLETED work order', report({ workOrderId: 'WO-000001' }), 'workOrderId'],
  ])('reportProduction refuses %s', async (_name, variables, field) => {
    expect(errorOf(await run(REPORT, variables))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('reportProduction refuses a reused idempotency key with different arguments, and counts nothing', async () => {
    const backend = createMockMesBackend(DATASET);
    const send = (variables: Record<string, unknown>) => mes.run(backend, atAnchor, REPORT, variables);
    expect((await send(report({ workOrderId: 'WO-000053', good: 4, key: 'once' }))).errors).toBeUndefined();
    for (const changed of [{ good: 5 }, { scrap: 1 }, { workOrderId: 'WO-000048' }]) {
      const result = await send(report({ workOrderId: 'WO-000053', good: 4, key: 'once', ...changed }));
      expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'idempotencyKey' });
    }
    const after = await mes.run(backend, atAnchor, `{ a: workOrder(id: "WO-000053") { quantityGood } b: workOrder(id: "WO-000048") { quantityGood } }`);
    expect(after.data).toEqual({ a: { quantityGood: 4 }, b: { quantityGood: 153 } });
  });

  it.each([
    ['a blank characteristic', { characteristic: ' ' }, 'input.characteristic'],
    ['a blank unit', { unit: '' }, 'input.unit'],
    ['a lower limit above the upper', { lowerLimit: 25.1, upperLimit: 25.0 }, 'input.lowerLimit'],
    ['an unknown work order', { workOrderId: 'WO-999999' }, 'input.workOrderId'],
    ['an unknown lot', { lotNumber: 'LOT-NOPE' }, 'input.lotNumber'],
  ])('recordInspection refuses %s', async (_name, overrides, field) => {
    expect(errorOf(await run(RECORD, { input: { ...INSPECTION, ...overrides } }))).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('productionRisk without the dueDate the gateway must supply', async () => {
    const result = await run(`{ _entities(representations: [{ __typename: "SalesOrder", id: "SO-000032" }]) {
      ... on SalesOrder { productionRisk { level } } } }`);
    expect(errorOf(result)).toEqual({ code: 'BAD_USER_INPUT', field: 'dueDate' });
  });
});
