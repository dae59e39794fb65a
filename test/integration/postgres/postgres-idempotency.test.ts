import { loadWorld } from '../../../mocks/dataset/load-world';
import { PostgresMesBackend } from '../../../subgraphs/mes/backend/postgres/postgres-mes-backend';
import { productionEvent } from '../../../subgraphs/mes/events/production-event-payloads';
import { dropSchema, POSTGRES_URL, testSchemaName } from './postgres-test-schema';

const DATASET = { seed: 7, scale: 50 };
const schema = testSchemaName('idem');
const world = loadWorld(DATASET).mes;
const running = world.workOrders.filter((wo) => wo.status === 'RUNNING');

/** Two backends on one schema stand for two MES instances sharing the store. */
let instances: PostgresMesBackend[] = [];

beforeAll(async () => {
  instances = [await PostgresMesBackend.open({ connectionString: POSTGRES_URL, schema, seed: DATASET })];
  instances.push(await PostgresMesBackend.open({ connectionString: POSTGRES_URL, schema, seed: DATASET }));
});
afterAll(async () => {
  await Promise.all(instances.map((backend) => backend.close()));
  await dropSchema(schema);
});

async function stored(workOrderId: string) {
  const [backend] = instances;
  const [workOrder] = await backend!.getWorkOrders([workOrderId]);
  const reports = await backend!.pool.query('SELECT count(*)::int AS n FROM production_reports WHERE work_order_id = $1', [workOrderId]);
  const events = await backend!.pool.query(`SELECT count(*)::int AS n FROM event_outbox WHERE payload->>'workOrderId' = $1`, [workOrderId]);
  return { workOrder: workOrder!, reports: reports.rows[0].n as number, events: events.rows[0].n as number };
}

function report(workOrderIndex: number, key: string) {
  const wo = running[workOrderIndex]!;
  const at = '2026-03-02T06:30:00.000Z';
  return {
    input: { workOrderId: wo.id, good: 5, scrap: 1, idempotencyKey: key, machineId: null, at },
    events: [productionEvent('PRODUCTION_REPORTED', wo, at, { good: 5, scrap: 1 })],
  };
}

it('counts the same idempotency key sent twice once', async () => {
  const { input, events } = report(0, 'twice');
  const before = await stored(input.workOrderId);
  const first = await instances[0]!.reportProduction(input, events);
  const second = await instances[1]!.reportProduction(input, events);
  expect([first.duplicate, second.duplicate]).toEqual([false, true]);
  expect(second.report).toEqual(first.report);
  const after = await stored(input.workOrderId);
  expect(after.workOrder.quantityGood).toBe(before.workOrder.quantityGood + 5);
  expect(after.workOrder.quantityScrap).toBe(before.workOrder.quantityScrap + 1);
  expect(after.reports - before.reports).toBe(1);
  expect(after.events - before.events).toBe(1);
});

it('counts the same idempotency key sent 10 times concurrently, from two instances, once', async () => {
  const { input, events } = report(1, 'concurrent');
  const before = await stored(input.workOrderId);
  const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => instances[i % 2]!.reportProduction(input, events)));
  expect(outcomes.filter((o) => !o.duplicate)).toHaveLength(1);
  expect(new Set(outcomes.map((o) => o.report.id)).size).toBe(1);
  const after = await stored(input.workOrderId);
  expect(after.workOrder.quantityGood).toBe(before.workOrder.quantityGood + 5);
  expect(after.reports - before.reports).toBe(1);
  expect(after.events - before.events).toBe(1);
});

it('keeps report ids gap-free when racing duplicates roll back', async () => {
  const keys = ['gap-a', 'gap-b'];
  const outcomes = await Promise.all(keys.flatMap((key) => Array.from({ length: 5 }, () => instances[0]!.reportProduction(report(2, key).input))));
  const ids = [...new Set(outcomes.map((o) => o.report.id))].sort();
  const numbers = ids.map((id) => Number(id.slice(3)));
  expect(numbers[1]! - numbers[0]!).toBe(1);
});
