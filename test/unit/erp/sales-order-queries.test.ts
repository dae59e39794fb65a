import type { SalesOrderRecord } from '../../../subgraphs/erp/backend/erp-backend';
import { centsTotal, createErpHarness, ErpHarness, onlyError } from './harness';

const ORDER = `query ($id: ID!) {
  salesOrder(id: $id) {
    id erpReference number status orderedAt dueDate currency total
    customer { id name currency }
    lines { lineNo quantity unitPrice amount product { sku name listPrice } }
    invoices { id amount status }
    shipments { id shippedAt lots { lotNumber quantity } salesOrder { id } }
  }
}`;

const PAGE = `query ($first: Int, $after: String, $filter: SalesOrderFilter) {
  salesOrders(first: $first, after: $after, filter: $filter) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes { id status dueDate customer { id } }
  }
}`;

describe('ERP sales order queries', () => {
  let erp: ErpHarness;
  beforeAll(async () => {
    erp = await createErpHarness();
  });
  afterAll(() => erp.stop());

  const orders = () => erp.world.erp.salesOrders;
  const ids = (list: readonly SalesOrderRecord[]) => list.map((o) => o.id);

  it('returns one order with computed amounts and total, customer, products, invoices and shipments', async () => {
    const { data, errors } = await erp.run(ORDER, { id: 'SO-000001' });
    expect(errors).toBeUndefined();
    const order = data.salesOrder;
    // Exact figures of seed 7: 220 × 918.28 + 140 × 85.92, the same amount the mock invoiced.
    expect(order).toMatchObject({
      id: 'SO-000001',
      erpReference: 'SAL-ORD-2025-00001',
      number: 'SO-2025-00001',
      status: 'CLOSED',
      orderedAt: '2025-11-02T18:07:17.000Z',
      dueDate: '2025-11-16T18:07:17.000Z',
      currency: 'PLN',
      total: 214050.4,
      customer: { id: 'C-0002', currency: 'PLN' },
    });
    expect(order.lines).toEqual([
      { lineNo: 1, quantity: 220, unitPrice: 918.28, amount: 202021.6, product: expect.objectContaining({ sku: 'FG-0002' }) },
      { lineNo: 2, quantity: 140, unitPrice: 85.92, amount: 12028.8, product: expect.objectContaining({ sku: 'FG-0005' }) },
    ]);
    expect(order.invoices).toEqual([{ id: 'INV-000001', amount: 214050.4, status: 'PAID' }]);
    const shipments = erp.world.erp.shipments.filter((s) => s.salesOrderId === 'SO-000001');
    expect(order.shipments).toEqual(
      shipments.map((s) => ({ id: s.id, shippedAt: s.shippedAt, lots: s.lots, salesOrder: { id: 'SO-000001' } })),
    );
  });

  it('computes every order total as the cent-exact sum of its lines', async () => {
    const { data } = await erp.run(`{ salesOrders(first: 1000) { nodes { id total lines { amount } } } }`);
    for (const node of data.salesOrders.nodes) {
      const record = orders().find((o) => o.id === node.id)!;
      expect(node.total).toBe(centsTotal(record.lines));
    }
    expect(data.salesOrders.nodes).toHaveLength(orders().length);
  });

  it('answers null for an unknown id', async () => {
    const { data, errors } = await erp.run(ORDER, { id: 'SO-999999' });
    expect(errors).toBeUndefined();
    expect(data.salesOrder).toBeNull();
  });

  it('pages with first/after in orderedAt order and counts all matches', async () => {
    const first = await erp.run(PAGE, { first: 12 });
    expect(first.data.salesOrders.totalCount).toBe(30);
    expect(first.data.salesOrders.nodes.map((n: any) => n.id)).toEqual(ids(orders().slice(0, 12)));
    expect(first.data.salesOrders.edges.map((e: any) => e.node.id)).toEqual(ids(orders().slice(0, 12)));
    expect(first.data.salesOrders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });

    const second = await erp.run(PAGE, { first: 12, after: first.data.salesOrders.pageInfo.endCursor });
    expect(second.data.salesOrders.nodes.map((n: any) => n.id)).toEqual(ids(orders().slice(12, 24)));
    expect(second.data.salesOrders.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });

    const last = await erp.run(PAGE, { first: 12, after: second.data.salesOrders.pageInfo.endCursor });
    expect(last.data.salesOrders.nodes.map((n: any) => n.id)).toEqual(ids(orders().slice(24)));
    expect(last.data.salesOrders.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    expect(last.data.salesOrders.totalCount).toBe(30);
  });

  it('filters by status, customer and due window (dueAfter inclusive, dueBefore exclusive)', async () => {
    const byStatus = await erp.run(PAGE, { filter: { status: 'IN_PRODUCTION' } });
    const inProduction = orders().filter((o) => o.status === 'IN_PRODUCTION');
    expect(byStatus.data.salesOrders.totalCount).toBe(inProduction.length);
    expect(byStatus.data.salesOrders.nodes.map((n: any) => n.id)).toEqual(ids(inProduction));

    const byCustomer = await erp.run(PAGE, { filter: { customerId: 'C-0001' }, first: 3 });
    const forCustomer = orders().filter((o) => o.customerId === 'C-0001');
    expect(byCustomer.data.salesOrders.totalCount).toBe(forCustomer.length);
    expect(byCustomer.data.salesOrders.nodes.map((n: any) => n.customer.id)).toEqual(['C-0001', 'C-0001', 'C-0001']);

    const dueAfter = orders()[10]!.dueDate;
    const dueBefore = orders()[20]!.dueDate;
    const windowed = await erp.run(PAGE, { filter: { dueAfter, dueBefore, status: 'SHIPPED' } });
    const expected = orders().filter((o) => o.status === 'SHIPPED' && o.dueDate >= dueAfter && o.dueDate < dueBefore);
    expect(windowed.errors).toBeUndefined();
    expect(windowed.data.salesOrders.nodes.map((n: any) => n.id)).toEqual(ids(expected));
    expect(windowed.data.salesOrders.totalCount).toBe(expected.length);
  });

  it('rejects a cursor it did not issue and an oversized page, naming the argument', async () => {
    expect(onlyError(await erp.run(PAGE, { after: 'not-a-cursor' }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(onlyError(await erp.run(PAGE, { first: 1001 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(onlyError(await erp.run(PAGE, { first: -1 }))).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('ERP sales order pages whose customers cannot be read', () => {
  let erp: ErpHarness;
  beforeAll(async () => {
    erp = await createErpHarness();
  });
  afterAll(() => erp.stop());
  afterEach(() => jest.restoreAllMocks());

  // customer, the rows and the page are all non-null: one failed customer nulls the whole answer.
  const QUERY = `{ salesOrders(first: 10) { nodes { id number customer { id name } } } }`;

  it('names the first order whose customer the ERP does not have, as an internal error on its customer', async () => {
    const orders = erp.world.erp.salesOrders.slice(0, 10);
    const missing = orders[3]!.customerId;
    const real = erp.backend.getCustomers.bind(erp.backend);
    jest.spyOn(erp.backend, 'getCustomers').mockImplementation(async (ids) => (await real(ids)).map((c) => (c?.id === missing ? null : c)));
    const { data, errors } = await erp.run(QUERY);
    const first = orders.findIndex((o) => o.customerId === missing);
    expect(data).toBeNull();
    expect(errors).toEqual([
      expect.objectContaining({
        path: ['salesOrders', 'nodes', first, 'customer'],
        message: `sales order ${orders[first]!.id} refers to customer ${missing}, which the ERP does not have`,
        extensions: expect.objectContaining({ code: 'INTERNAL_SERVER_ERROR' }),
      }),
    ]);
  });

  it('reports a failed customer read on the first order that needed it', async () => {
    jest.spyOn(erp.backend, 'getCustomers').mockRejectedValue(new Error('back office unavailable'));
    const { data, errors } = await erp.run(QUERY);
    expect(data).toBeNull();
    expect(errors).toEqual([expect.objectContaining({ message: 'back office unavailable', path: ['salesOrders', 'nodes', 0, 'customer'] })]);
  });
});
