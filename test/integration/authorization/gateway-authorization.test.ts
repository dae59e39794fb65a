import { createHmac } from 'node:crypto';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { loadWorld } from '../../../mocks/dataset/load-world';
import { DEFAULT_ANCHOR } from '../../../mocks/dataset/world';
import { postGraphQL } from '../../fixtures/graphql-client';
import { startService, type Service } from '../../fixtures/stack';

/**
 * The real processes (run `npx tsc -p .` first): a gateway verifying HS256 tokens, both subgraphs requiring the
 * signed identity. Field rules by scope, row rules by tenant, over HTTP and graphql-ws.
 */
const JWT_SECRET = 'a-test-jwt-secret-that-is-at-least-32-chars';
const IDENTITY_SECRET = 'a-test-identity-signing-secret-of-32+chars';
const seed = 7;
const scale = 30;
const loaded = loadWorld({ seed, scale, anchor: DEFAULT_ANCHOR });
const world = { ...loaded.erp, ...loaded.mes };
const ordersOf = (customerId: string) => new Set(world.salesOrders.filter((o) => o.customerId === customerId).map((o) => o.id));
const active = (w: { status: string }) => ['RELEASED', 'RUNNING', 'PAUSED'].includes(w.status);
const customersWithActiveWork = world.customers.filter((c) => world.workOrders.some((w) => active(w) && ordersOf(c.id).has(w.salesOrderId)));
const [A, B] = customersWithActiveWork;

let erp: Service;
let mes: Service;
let gateway: Service;

async function token(scope: string, tenant?: string): Promise<string> {
  const claims: Record<string, unknown> = { scope };
  if (tenant) claims.tenant = tenant;
  // HS256 by hand (jose is ESM-only, which jest's CommonJS runtime cannot load): what `npm run token` signs.
  const now = Math.floor(Date.now() / 1000);
  const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({ ...claims, sub: tenant ?? 'staff', iat: now, exp: now + 600 })}`;
  return `${unsigned}.${createHmac('sha256', JWT_SECRET).update(unsigned).digest('base64url')}`;
}
function nullOnPath(data: unknown, path: (string | number)[]): boolean {
  let value = data as any;
  for (const key of [undefined, ...path]) {
    if (key !== undefined) value = value[key];
    if (value === null) return true;
    if (value === undefined) throw new Error(`nothing at ${key} of ${JSON.stringify(data)}`);
  }
  return false;
}
const ALL_READ = 'orders:read finance:read procurement:read production:read';
const query = async (q: string, t: string, variables?: Record<string, unknown>) => postGraphQL(gateway.url, q, variables, { authorization: `Bearer ${t}` });

beforeAll(async () => {
  const common = { MOCK_SEED: String(seed), MOCK_SCALE: String(scale), IDENTITY_SIGNING_SECRET: IDENTITY_SECRET };
  erp = await startService('erp', common);
  mes = await startService('mes', { ...common, ERP_SUBGRAPH_URL: erp.url });
  gateway = await startService('gateway', { ...common, AUTH_JWT_SECRET: JWT_SECRET, SUBGRAPH_URL_ERP: erp.url, SUBGRAPH_URL_MES: mes.url });
}, 60_000);

afterAll(async () => {
  await Promise.all([gateway, mes, erp].filter(Boolean).map((s) => s.stop()));
});

describe('field authorization at the gateway', () => {
  const customerId = () => world.customers[0].id;
  test.each([
    ['finance:read', 'query($id: ID!) { customer(id: $id) { name creditLimit } }', ['customer', 'creditLimit']],
    ['production:read', 'query($o: ID!) { salesOrder(id: $o) { number workOrders { id } } }', ['salesOrder', 'workOrders']],
    ['procurement:read', '{ suppliers { totalCount } }', ['suppliers']],
  ])('%s: the field is null with FORBIDDEN without it, served with it', async (scope, q, path) => {
    const variables = q.includes('$id') ? { id: customerId() } : q.includes('$o') ? { o: world.salesOrders[0].id } : {};
    const lacking = await token(ALL_READ.split(' ').filter((s) => s !== scope).join(' '));
    // Twice: the first request of an operation runs on Apollo's executor (it plans), the second on forge's, which
    // writes the answer as JSON at once; the denial must null the field in both.
    const answers = [];
    for (let i = 0; i < 2; i++) {
      const without = await query(q, lacking, variables);
      expect(without.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'FORBIDDEN' }) })]);
      expect(without.errors![0].path).toEqual(path);
      // The field is null, or (non-null) a parent it nulled.
      expect(nullOnPath(without.data, path)).toBe(true);
      answers.push(without);
    }
    expect(answers[1]).toEqual(answers[0]);
    const withIt = await query(q, await token(ALL_READ), variables);
    expect(withIt.errors).toBeUndefined();
    expect(nullOnPath(withIt.data, path)).toBe(false);
  });

  test('an anonymous caller gets UNAUTHENTICATED on protected fields', async () => {
    const result = await postGraphQL(gateway.url, '{ salesOrders { totalCount } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('tenant scoping through the gateway', () => {
  test("partner A lists only its orders and cannot read B's", async () => {
    const t = await token('orders:read production:read', A.id);
    const list = await query('{ salesOrders(first: 1000) { edges { node { id customer { id } workOrders { salesOrder { id } } } } } }', t);
    expect(list.errors).toBeUndefined();
    const nodes = (list.data as any).salesOrders.edges.map((e: any) => e.node);
    expect(nodes.length).toBe(ordersOf(A.id).size);
    expect(nodes.every((n: any) => n.customer.id === A.id)).toBe(true);
    const other = [...ordersOf(B.id)][0];
    expect(((await query('query($id: ID!) { salesOrder(id: $id) { id } }', t, { id: other })).data as any).salesOrder).toBeNull();
  });

  test("a partner's productionEvents carry only its own orders' events", async () => {
    const workA = world.workOrders.find((w) => active(w) && ordersOf(A.id).has(w.salesOrderId))!;
    const workB = world.workOrders.find((w) => active(w) && ordersOf(B.id).has(w.salesOrderId))!;
    const client: Client = createClient({
      url: gateway.url.replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      retryAttempts: 0,
      connectionParams: { authorization: `Bearer ${await token('orders:read production:read', A.id)}` },
    });
    const received: any[] = [];
    const done = client.subscribe(
      { query: 'subscription { productionEvents { eventId workOrder { id salesOrder { id customer { id } } } } }' },
      { next: (r) => void received.push(r), error: () => undefined, complete: () => undefined },
    );
    await new Promise((r) => setTimeout(r, 500));
    const staff = await token('orders:read production:read production:write');
    const report = 'mutation($id: ID!, $k: String!) { reportProduction(workOrderId: $id, good: 1, scrap: 0, idempotencyKey: $k) { __typename } }';
    expect((await query(report, staff, { id: workB.id, k: `b-${Date.now()}` })).errors).toBeUndefined();
    expect((await query(report, staff, { id: workA.id, k: `a-${Date.now()}` })).errors).toBeUndefined();
    const deadline = Date.now() + 5_000;
    while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    done();
    await client.dispose();
    expect(received.length).toBeGreaterThan(0);
    for (const r of received) {
      expect(r.errors).toBeUndefined();
      expect(r.data.productionEvents.workOrder.salesOrder.customer.id).toBe(A.id);
    }
  });
});

describe('entity cache with signed identities', () => {
  const health = async () => (await (await fetch(`${gateway.url.replace(/\/graphql$/, '')}/health/ready`)).json()) as { entityCache: { live: boolean; hits: number } };

  test('reads its invalidation stream as the gateway itself, and serves partners and staff from it', async () => {
    const deadline = Date.now() + 10_000;
    while (!(await health()).entityCache.live && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect((await health()).entityCache.live).toBe(true);
    const progress = '{ salesOrders(first: 1000) { nodes { id customer { id } productionProgress { quantityGood } } } }';
    const partner = await token('orders:read production:read', A.id);
    const staff = await token(ALL_READ);
    const hits = (await health()).entityCache.hits;
    const answers = [];
    for (const t of [partner, partner, partner, staff, staff, staff]) answers.push(await query(progress, t));
    expect((await health()).entityCache.hits).toBeGreaterThan(hits);
    for (const answer of answers) expect(answer.errors).toBeUndefined();
    const [asPartner, asStaff] = [answers[2]!, answers[5]!].map((a) => (a.data as any).salesOrders.nodes as { id: string; customer: { id: string } }[]);
    expect(asPartner.every((n) => n.customer.id === A.id)).toBe(true);
    expect(asPartner).toEqual(asStaff.filter((n) => n.customer.id === A.id));
  });
});
