import { createErpHarness, ErpHarness } from './harness';

const ORDERS = `query ($first: Int!) {
  salesOrders(first: $first) {
    nodes {
      id total
      customer { name }
      lines { amount product { name standardCost } }
      invoices { id }
      shipments { id salesOrder { id } }
    }
  }
}`;

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on SalesOrder { id dueDate customer { name } lines { product { sku } } }
    ... on WorkOrder { plannedCost actualCost }
  }
}`;

/** DESIGN §4: what a query costs the back office must not grow with how many rows it asks for. */
describe('ERP batching', () => {
  let erp: ErpHarness;
  beforeAll(async () => {
    erp = await createErpHarness({ scale: 60 });
  });
  afterAll(() => erp.stop());

  async function callsFor(query: string, variables: Record<string, unknown>) {
    erp.counted.reset();
    const { errors } = await erp.run(query, variables);
    expect(errors).toBeUndefined();
    return erp.counted.calls();
  }

  it('a page of orders with customer, products, invoices and shipments costs the same for 5 and 40 orders', async () => {
    const small = await callsFor(ORDERS, { first: 5 });
    const large = await callsFor(ORDERS, { first: 40 });
    expect(large).toEqual(small);
    // One call per kind of record; the shipments' orders come from the list the query already read.
    expect(small).toEqual({
      listSalesOrders: 1,
      getCustomers: 1,
      getProducts: 1,
      getInvoicesBySalesOrders: 1,
      getShipmentsBySalesOrders: 1,
    });
  });

  // The gateway sends one `_entities` fetch per entity type and plan step; each must batch on its own.
  it('a gateway batch of sales order representations costs the same for 5 and 40 orders', async () => {
    const representations = (n: number) =>
      erp.world.erp.salesOrders.slice(0, n).map((o) => ({ __typename: 'SalesOrder', id: o.id }));
    const small = await callsFor(ENTITIES, { representations: representations(5) });
    const large = await callsFor(ENTITIES, { representations: representations(40) });
    expect(large).toEqual(small);
    expect(small).toEqual({ getSalesOrders: 1, getCustomers: 1, getProducts: 1 });
  });

  it('pricing 5 or 40 MES work orders costs one product lookup', async () => {
    const representations = (n: number) =>
      erp.world.mes.workOrders.slice(0, n).map((wo) => ({
        __typename: 'WorkOrder',
        id: wo.id,
        product: { sku: wo.sku },
        quantityPlanned: wo.quantityPlanned,
        quantityGood: wo.quantityGood,
        quantityScrap: wo.quantityScrap,
      }));
    expect(await callsFor(ENTITIES, { representations: representations(5) })).toEqual({ getProducts: 1 });
    expect(await callsFor(ENTITIES, { representations: representations(40) })).toEqual({ getProducts: 1 });
  });

  it('a page reads its customers ahead only when a row selects one', async () => {
    const page = (selection: string) => `query ($first: Int!) { salesOrders(first: $first) { ${selection} } }`;
    expect(await callsFor(page('nodes { id }'), { first: 40 })).toEqual({ listSalesOrders: 1 });
    expect(await callsFor(page('totalCount edges { cursor node { number } }'), { first: 40 })).toEqual({ listSalesOrders: 1 });
    expect(await callsFor(page('edges { node { customer { id } } }'), { first: 40 })).toEqual({ listSalesOrders: 1, getCustomers: 1 });
    const throughFragment = `query ($first: Int!) { salesOrders(first: $first) { nodes { ...C } } } fragment C on SalesOrder { customer { name } }`;
    expect(await callsFor(throughFragment, { first: 40 })).toEqual({
      listSalesOrders: 1,
      getCustomers: 1,
    });
  });

  it('a page answers every row with its own customer', async () => {
    const { data, errors } = await erp.run(`{ salesOrders(first: 40) { nodes { id customer { id name } } edges { node { customer { id } } } } }`);
    expect(errors).toBeUndefined();
    const customers = new Map(erp.world.erp.customers.map((c) => [c.id, c]));
    const orders = erp.world.erp.salesOrders;
    for (const node of data.salesOrders.nodes) {
      const order = orders.find((o) => o.id === node.id)!;
      expect(node.customer).toEqual({ id: order.customerId, name: customers.get(order.customerId)!.name });
    }
    expect(data.salesOrders.edges.map((e: { node: { customer: { id: string } } }) => e.node.customer.id)).toEqual(
      data.salesOrders.nodes.map((n: { customer: { id: string } }) => n.customer.id),
    );
  });
});
