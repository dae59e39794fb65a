import { Pool } from 'pg';
import { createClient } from 'redis';
import { loadWorld } from '../../../mocks/dataset/load-world';
import { RedisEventBus } from '../../../subgraphs/mes/events/redis-event-bus';
import { productionEvent } from '../../../subgraphs/mes/events/production-event-payloads';
import { startService, type Service } from '../../fixtures/stack';
import { subscribe } from '../../fixtures/subscriber';
import { dropSchema, POSTGRES_URL, testSchemaName } from './postgres-test-schema';

/**
 * The MES process (dist/, built by `tsc -p .`) on PostgreSQL, killed with SIGKILL and started again.
 *
 * What "its events are all there" means after a restart:
 * - with Redis (REDIS_URL), the bus itself is durable: every event written before the kill is in the stream
 *   exactly once, and an event committed to the outbox but not relayed before the kill is relayed by the
 *   restarted process, so `after: '0-0'` reads all of them, once each;
 * - with the in-memory bus, what the killed process published died with it (its subscribers were cut off too):
 *   the durable record is the outbox, where every event is stored with its write and marked published; the
 *   restarted process republishes nothing already published and publishes what was left unpublished.
 */
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const DATASET = { seed: 7, scale: 50 };
const world = loadWorld(DATASET).mes;
const workOrder = world.workOrders.find((wo) => wo.status === 'RUNNING' && wo.quantityPlanned - wo.quantityGood > 50)!;
const REPORT = `mutation($id: ID!, $key: String!) { reportProduction(workOrderId: $id, good: 2, scrap: 1, idempotencyKey: $key) { duplicate } }`;
const WORK_ORDER = `query($id: ID!) { workOrder(id: $id) { quantityGood quantityScrap } }`;

const schema = testSchemaName('restart');
const prefix = `forge-test:${schema}`;
const pool = new Pool({ connectionString: POSTGRES_URL, options: `-c search_path=${schema}` });
let mes: Service | undefined;

afterAll(async () => {
  await mes?.stop();
  await pool.end();
  await dropSchema(schema);
  const redis = await createClient({ url: REDIS_URL }).connect();
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length > 0) await redis.del(keys);
  await redis.quit();
});

async function until<T>(probe: () => Promise<T | undefined | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const unpublished = async () => Number((await pool.query('SELECT count(*) FROM event_outbox WHERE published_at IS NULL')).rows[0].count);

async function reportAndKill(env: NodeJS.ProcessEnv, keys: string[]) {
  mes = await startService('mes', { ...env, DATABASE_URL: POSTGRES_URL, DATABASE_SCHEMA: schema, MOCK_SEED: '7', MOCK_SCALE: '50', SIMULATOR_RATE: '0' });
  for (const key of keys) {
    const response = await mes.query(REPORT, { id: workOrder.id, key });
    expect(response.errors).toBeUndefined();
  }
  await until(async () => (await unpublished()) === 0, 'the relay to publish the outbox');
  mes.process.child.kill('SIGKILL');
  await mes.process.exited;
  // Committed with a write but not relayed when the process died: the restarted relay must publish it.
  const orphan = productionEvent('PRODUCTION_REPORTED', workOrder, '2026-03-02T07:00:00.000Z', { good: 0, scrap: 0 });
  await pool.query('INSERT INTO event_outbox (stream, payload) VALUES ($1, $2)', [orphan.stream, JSON.stringify(orphan.payload)]);
  await mes.restart();
}

async function expectCounts(reports: number) {
  const { data } = await mes!.query(WORK_ORDER, { id: workOrder.id });
  expect(data.workOrder).toEqual({ quantityGood: workOrder.quantityGood + 2 * reports, quantityScrap: workOrder.quantityScrap + reports });
  const stored = await pool.query('SELECT count(*)::int AS n FROM production_reports WHERE work_order_id = $1', [workOrder.id]);
  expect(stored.rows[0].n).toBe(reports);
}

it('keeps reports, counts and events across a SIGKILL restart, with the events in Redis once each', async () => {
  await reportAndKill({ REDIS_URL, EVENT_STREAM_PREFIX: prefix }, ['r1', 'r2', 'r3']);
  await expectCounts(3);
  const replay = await mes!.query(REPORT, { id: workOrder.id, key: 'r2' });
  expect(replay.data.reportProduction.duplicate).toBe(true);
  await expectCounts(3);

  await until(async () => (await unpublished()) === 0, 'the restarted relay to publish the orphan');
  const bus = await RedisEventBus.connect({ url: REDIS_URL, keyPrefix: prefix });
  const events = bus.subscribe('production', { after: '0-0' });
  const seen: { good: number | null }[] = [];
  try {
    while (seen.length < 4) seen.push((await events.next()).value.payload);
    const extra = await Promise.race([events.next().then(() => 'more'), new Promise((resolve) => setTimeout(() => resolve('none'), 500))]);
    expect(extra).toBe('none');
  } finally {
    await events.return?.();
    await bus.close();
  }
  expect(seen.map((payload) => payload.good)).toEqual([2, 2, 2, 0]);
  const marked = await pool.query('SELECT count(*)::int AS n FROM event_outbox WHERE published_at IS NOT NULL');
  expect(marked.rows[0].n).toBe(4);
}, 60_000);

it('with the in-memory bus, publishes what the outbox still held and nothing already published', async () => {
  await mes?.stop();
  await reportAndKill({}, ['m1', 'm2']);
  await expectCounts(5);
  // Resuming from the start of this process's (in-memory) history: only the orphan was published here.
  const subscriber = subscribe(mes!.url, `subscription { productionEvents(after: "0-0") { eventId type } }`);
  try {
    await subscriber.waitFor(1);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(subscriber.results).toHaveLength(1);
    expect(subscriber.results[0]!.data!.productionEvents.type).toBe('PRODUCTION_REPORTED');
  } finally {
    await subscriber.close();
  }
  expect(await unpublished()).toBe(0);
  const all = await pool.query('SELECT count(*)::int AS n FROM event_outbox');
  expect(all.rows[0].n).toBe(4 + 3);
}, 60_000);
