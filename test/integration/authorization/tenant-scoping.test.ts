import { DEFAULT_ANCHOR } from '../../../mocks/dataset/world';
import { loadWorld } from '../../../mocks/dataset/load-world';
import { createMockErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { anchoredClock } from '../../../subgraphs/common/clock';
import type { RunningServer } from '../../../subgraphs/common/http-server';
import { IDENTITY_HEADER, signIdentity } from '../../../subgraphs/common/identity';
import { startErpSubgraph } from '../../../subgraphs/erp/server';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';
import { startMesSubgraph } from '../../../subgraphs/mes/server';
import { erpTenantOrders } from '../../../subgraphs/mes/tenant-orders';

/** Both subgraphs, in-process, requiring the signed identity; requests go straight to them, bypassing the gateway. */
const SECRET = 'a-test-identity-signing-secret-of-32+chars';
const options = { seed: 7, scale: 30, anchor: DEFAULT_ANCHOR };
const loaded = loadWorld(options);
const world = { ...loaded.erp, ...loaded.mes };
const clock = anchoredClock(DEFAULT_ANCHOR);
const ALL = ['orders:read', 'finance:read', 'production:read', 'procurement:read'];

let erp: RunningServer;
let mes: RunningServer;
let events: InMemoryEventBus;

// Two customers that both have work orders: A and B.
const withWork = world.customers.filter((c) =>
  world.salesOrders.some((o) => o.customerId === c.id && world.workOrders.some((w) => w.salesOrderId === o.id)),
);
const [A, B] = withWork;
const ordersOf = (customerId: string) => world.salesOrders.filter((o) => o.customerId === customerId);
const orderB = ordersOf(B.id)[0];
const workOrderB = world.workOrders.find((w) => ordersOf(B.id).some((o) => o.id === w.salesOrderId))!;
const workOrderA = world.workOrders.find((w) => ordersOf(A.id).some((o) => o.id === w.salesOrderId))!;

beforeAll(async () => {
  erp = await startErpSubgraph({ port: 0, backend: createMockErpBackend({ ...options, clock }), clock, identitySecret: SECRET });
  events = new InMemoryEventBus();
  mes = await startMesSubgraph({
    port: 0, backend: createMockMesBackend(options), clock, events, identitySecret: SECRET,
    tenantOrders: erpTenantOrders({ erpUrl: erp.url, secret: SECRET, ttlMs: 0 }),
  });
});

afterAll(async () => {
  await mes?.stop();
  await erp?.stop();
  await events?.close();
});

async function post(url: string, query: string, variables: Record<string, unknown> = {}, header?: string | null) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (header) headers[IDENTITY_HEADER] = header;
  const response = await fetch(url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as { data?: any; errors?: any[] } };
}
const as = (tenant?: string) => signIdentity({ sub: tenant ?? 'staff', scopes: ALL, tenant }, SECRET);

describe('signed identity', () => {
  test.each(['erp', 'mes'])('%s refuses unsigned, forged and expired identities; health stays open', async (name) => {
    const url = name === 'erp' ? erp.url : mes.url;
    const query = '{ __typename }';
    expect((await post(url, query, {}, null)).status).toBe(401);
    const [payload, signature] = as(A.id).split('.');
    const forged = `${Buffer.from(JSON.stringify({ sub: 'x', scopes: ALL, exp: 9e9 })).toString('base64url')}.${signature}`;
    const forgedResult = await post(url, query, {}, forged);
    expect(forgedResult.status).toBe(401);
    expect(forgedResult.body.errors?.[0].extensions.code).toBe('UNAUTHENTICATED');
    expect((await post(url, query, {}, `${payload}.${signature}x`)).status).toBe(401);
    const expired = signIdentity({ sub: 's', scopes: ALL }, SECRET, Date.now() - 120_000);
    expect((await post(url, query, {}, expired)).status).toBe(401);
    expect((await post(url, query, {}, as())).status).toBe(200);
    expect((await fetch(url.replace('/graphql', '/health/live'))).status).toBe(200);
  });
});

describe('partner A', () => {
  test('lists only its own sales orders and customer', async () => {
    const { body } = await post(erp.url, '{ salesOrders(first: 1000) { totalCount edges { node { id customer { id } } } } customers { edges { node { id } } } }', {}, as(A.id));
    const orders = body.data.salesOrders.edges.map((e: any) => e.node);
    expect(orders.length).toBe(ordersOf(A.id).length);
    expect(new Set(orders.map((o: any) => o.customer.id))).toEqual(new Set([A.id]));
    expect(body.data.customers.edges.map((e: any) => e.node.id)).toEqual([A.id]);
  });

  test("cannot read B's order by id, nor through _entities sent straight to the subgraphs", async () => {
    expect((await post(erp.url, 'query($id: ID!) { salesOrder(id: $id) { id } }', { id: orderB.id }, as(A.id))).body.data.salesOrder).toBeNull();
    const entities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on SalesOrder { id } ... on Customer { id } ... on WorkOrder { id } } }';
    const erpRefs = [{ __typename: 'SalesOrder', id: orderB.id }, { __typename: 'Customer', id: B.id }, { __typename: 'SalesOrder', id: ordersOf(A.id)[0].id }];
    expect((await post(erp.url, entities, { r: erpRefs }, as(A.id))).body.data._entities).toEqual([null, null, { id: ordersOf(A.id)[0].id }]);
    const mesRefs = [{ __typename: 'WorkOrder', id: workOrderB.id }, { __typename: 'WorkOrder', id: workOrderA.id }];
    const mesEntities = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on WorkOrder { id } } }';
    expect((await post(mes.url, mesEntities, { r: mesRefs }, as(A.id))).body.data._entities).toEqual([null, { id: workOrderA.id }]);
    // Staff see both.
    expect((await post(mes.url, mesEntities, { r: mesRefs }, as())).body.data._entities).toEqual([{ id: workOrderB.id }, { id: workOrderA.id }]);
  });

  test("does not reach B's orders through a nested path (lot → shipments → sales order)", async () => {
    const shipped = world.shipments.find((s) => ordersOf(B.id).some((o) => o.id === s.salesOrderId) && s.lots.length > 0);
    if (!shipped) return;
    const refs = [{ __typename: 'MaterialLot', lotNumber: shipped.lots[0].lotNumber }];
    const q = 'query($r: [_Any!]!) { _entities(representations: $r) { ... on MaterialLot { shipments { id salesOrder { id customer { id } } } } } }';
    const { body } = await post(erp.url, q, { r: refs }, as(A.id));
    for (const s of body.data._entities[0].shipments) expect(s.salesOrder.customer.id).toBe(A.id);
    expect(body.data._entities[0].shipments.map((s: any) => s.id)).not.toContain(shipped.id);
  });

  test("sees only its own work orders, lots and no machines in the MES", async () => {
    const { body } = await post(mes.url, '{ workOrders(first: 1000) { edges { node { id salesOrder { id } } } } machines { totalCount } }', {}, as(A.id));
    const own = new Set(ordersOf(A.id).map((o) => o.id));
    const ids = body.data.workOrders.edges.map((e: any) => e.node.salesOrder.id);
    expect(ids.length).toBe(world.workOrders.filter((w) => own.has(w.salesOrderId)).length);
    expect(ids.every((id: string) => own.has(id))).toBe(true);
    expect(body.data.machines.totalCount).toBe(0);
    const lotB = world.lots.find((l) => l.producedByWorkOrderId === workOrderB.id);
    if (lotB) {
      expect((await post(mes.url, 'query($l: String!) { materialLot(lotNumber: $l) { lotNumber } }', { l: lotB.lotNumber }, as(A.id))).body.data.materialLot).toBeNull();
    }
  });
});
