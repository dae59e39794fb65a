import { loadWorld } from '../../../mocks/dataset/load-world';
import { DEFAULT_ANCHOR } from '../../../mocks/dataset/world';
import { startFakeErpNext, type FakeErpNext } from '../../../mocks/erpnext/fake-erpnext-server';
import { loadOperation } from '../../../schema/operations';
import { startStack, type Stack } from '../../fixtures/stack';

const SEED = 11;
const SCALE = 600;
const credentials = { apiKey: 'forge-test-key', apiSecret: 'forge-test-secret' };

/**
 * The stack as `npm start` runs it (processes from dist/), with the ERP subgraph on ERP_BACKEND=rest against
 * the fake ERPNext in this process, so its request log counts every HTTP call the subgraph makes.
 */
describe('ERP subgraph on the ERPNext REST backend', () => {
  let fake: FakeErpNext;
  let stack: Stack;

  beforeAll(async () => {
    fake = await startFakeErpNext({ world: loadWorld({ seed: SEED, scale: SCALE, anchor: DEFAULT_ANCHOR }), ...credentials });
    stack = await startStack({
      seed: SEED,
      scale: SCALE,
      env: {
        ERP_BACKEND: 'rest',
        ERP_URL: fake.origin,
        ERP_API_KEY: credentials.apiKey,
        ERP_API_SECRET: credentials.apiSecret,
        ERP_TIMEOUT_MS: '800',
        LOG_LEVEL: 'warn',
      },
    });
  }, 120_000);
  afterEach(() => fake.setFaults({}));
  afterAll(async () => {
    await stack?.stop();
    await fake?.stop();
  });

  async function bi(first: number) {
    fake.resetLog();
    const response = await stack.query(loadOperation('bi'), { first });
    expect(response.errors).toBeUndefined();
    const nodes = response.data.salesOrders.nodes;
    expect(nodes).toHaveLength(first);
    expect(nodes.every((n: any) => n.customer.name && n.productionProgress && typeof n.total === 'number')).toBe(true);
    return { calls: fake.requests.map((r) => `${r.method} ${r.target}`).sort(), response };
  }

  it('answers bi with the same HTTP calls to the ERP for 50 and for 500 orders', async () => {
    const small = await bi(50);
    const large = await bi(500);
    expect(large.calls).toEqual(small.calls);
    // One page of orders, its count (get_count names the DocType too), their lines, their customers.
    expect(small.calls).toEqual(['GET Customer', 'GET Sales Order', 'GET Sales Order', 'GET Sales Order Item']);
    const world = loadWorld({ seed: SEED, scale: SCALE, anchor: DEFAULT_ANCHOR });
    expect(large.response.data.salesOrders.totalCount).toBe(world.erp.salesOrders.length);
    expect(large.response.data.salesOrders.nodes.map((n: any) => n.number)).toEqual(world.erp.salesOrders.slice(0, 500).map((o) => o.number));
  });

  const mixed = `query Mixed($id: ID!) {
    salesOrder(id: $id) { number customer { name } }
    machines(first: 3) { nodes { id state } }
    workOrders(first: 3) { nodes { id number status plannedCost } }
  }`;

  async function degraded(expected: Record<string, unknown>, message: RegExp) {
    const response = await stack.query(mixed, { id: 'SO-000001' });
    // MES fields are all there; ERP ones are null, with a typed error naming the ERP.
    expect(response.data.machines.nodes).toHaveLength(3);
    expect(response.data.workOrders.nodes).toHaveLength(3);
    expect(response.data.workOrders.nodes.every((n: any) => n.number && n.plannedCost === null)).toBe(true);
    expect(response.data.salesOrder).toBeNull();
    expect(response.errors!.length).toBeGreaterThan(0);
    for (const error of response.errors!) {
      expect(error.extensions).toMatchObject({ code: 'BACKEND_UNAVAILABLE', backend: 'erpnext', ...expected });
      expect(error.message).toMatch(message);
    }
  }

  async function recovered() {
    const response = await stack.query(mixed, { id: 'SO-000001' });
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrder.customer.name).toBeTruthy();
    expect(stack.processes.erp.child.exitCode).toBeNull();
  }

  it('keeps MES data and reports BACKEND_UNAVAILABLE when the ERP answers 500, then recovers', async () => {
    fake.setFaults({ status: 500 });
    await degraded({ status: 500 }, /ERPNext.*HTTP 500/);
    fake.setFaults({});
    await recovered();
  });

  it('times out a slow ERP within ERP_TIMEOUT_MS and keeps serving', async () => {
    fake.setFaults({ delayMs: 3000 });
    const started = Date.now();
    await degraded({}, /timed out after 800 ms/);
    expect(Date.now() - started).toBeLessThan(2900);
    fake.setFaults({});
    await recovered();
  });

  it('reports refused credentials as 401 without crashing', async () => {
    fake.setFaults({ refuseToken: true });
    await degraded({ status: 401 }, /credentials/);
    fake.setFaults({});
    await recovered();
  });

  it('fails only the fields of the failing DocType: partial ERP data from the subgraph itself', async () => {
    fake.setFaults({ status: 502, doctypes: ['Customer'] });
    const response = await stack.services.erp.query(`{ salesOrder(id: "SO-000002") { number } customer(id: "C-0001") { name } }`);
    expect(response.data.salesOrder.number).toBeTruthy();
    expect(response.data.customer).toBeNull();
    expect(response.errors).toEqual([expect.objectContaining({ path: ['customer'], extensions: expect.objectContaining({ code: 'BACKEND_UNAVAILABLE', backend: 'erpnext', status: 502 }) })]);
  });
});
