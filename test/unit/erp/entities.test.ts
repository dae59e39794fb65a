import { createErpHarness, ErpHarness } from './harness';

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Customer { id name }
    ... on Product { sku name }
    ... on SalesOrder { id dueDate total }
    ... on Shipment { id salesOrder { id } }
    ... on Invoice { id amount }
    ... on Supplier { id name }
    ... on PurchaseOrder { id number }
  }
}`;

const WORK_ORDER_COST = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on WorkOrder { id plannedCost actualCost costCurrency }
  }
}`;

const LOT_SHIPMENTS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on MaterialLot { lotNumber shipments { id salesOrder { id customer { id } } } }
  }
}`;

describe('ERP federation: _entities and the extensions of MES entities', () => {
  let erp: ErpHarness;
  beforeAll(async () => {
    erp = await createErpHarness();
  });
  afterAll(() => erp.stop());

  it('declares the keys and @requires the gateway plans with', async () => {
    const { data } = await erp.run(`{ _service { sdl } }`);
    const sdl: string = data._service.sdl;
    for (const [type, key] of [
      ['Customer', 'id'], ['Product', 'sku'], ['SalesOrder', 'id'], ['Shipment', 'id'], ['Invoice', 'id'],
      ['Supplier', 'id'], ['PurchaseOrder', 'id'], ['WorkOrder', 'id'], ['MaterialLot', 'lotNumber'],
    ]) {
      expect(sdl).toMatch(new RegExp(`type ${type}\\s+@key\\(fields: "${key}"\\)`));
    }
    expect(sdl).toContain('plannedCost: Float @requires(fields: "product { sku } quantityPlanned")');
    expect(sdl).toContain('actualCost: Float @requires(fields: "product { sku } quantityGood quantityScrap")');
    expect(sdl).toMatch(/quantityScrap: Int! @external/);
  });

  it('resolves every ERP entity by key, in representation order, with null for unknown keys', async () => {
    const { data, errors } = await erp.run(ENTITIES, {
      representations: [
        { __typename: 'SalesOrder', id: 'SO-000001' },
        { __typename: 'Customer', id: 'C-0003' },
        { __typename: 'Product', sku: 'FG-0005' },
        { __typename: 'Shipment', id: 'SHP-000001' },
        { __typename: 'Invoice', id: 'INV-000002' },
        { __typename: 'Supplier', id: 'S-0001' },
        { __typename: 'PurchaseOrder', id: 'PO-000001' },
        { __typename: 'SalesOrder', id: 'SO-404' },
        { __typename: 'Customer', id: 'C-404' },
        { __typename: 'Product', sku: 'XX-404' },
        { __typename: 'Invoice', id: 'INV-404' },
      ],
    });
    expect(errors).toBeUndefined();
    const customer = erp.world.erp.customers.find((c) => c.id === 'C-0003')!;
    const supplier = erp.world.erp.suppliers.find((s) => s.id === 'S-0001')!;
    expect(data._entities).toEqual([
      { __typename: 'SalesOrder', id: 'SO-000001', dueDate: '2025-11-16T18:07:17.000Z', total: 214050.4 },
      { __typename: 'Customer', id: 'C-0003', name: customer.name },
      { __typename: 'Product', sku: 'FG-0005', name: erp.world.erp.products.find((p) => p.sku === 'FG-0005')!.name },
      { __typename: 'Shipment', id: 'SHP-000001', salesOrder: { id: 'SO-000001' } },
      { __typename: 'Invoice', id: 'INV-000002', amount: 93817.1 },
      { __typename: 'Supplier', id: 'S-0001', name: supplier.name },
      { __typename: 'PurchaseOrder', id: 'PO-000001', number: 'PO-2025-00001' },
      null,
      null,
      null,
      null,
    ]);
  });

  it('prices MES work orders from the @requires fields in their representations', async () => {
    const workOrders = erp.world.mes.workOrders.slice(0, 3);
    const { data, errors } = await erp.run(WORK_ORDER_COST, {
      representations: [
        ...workOrders.map((wo) => ({
          __typename: 'WorkOrder',
          id: wo.id,
          product: { sku: wo.sku },
          quantityPlanned: wo.quantityPlanned,
          quantityGood: wo.quantityGood,
          quantityScrap: wo.quantityScrap,
        })),
        { __typename: 'WorkOrder', id: 'WO-X', product: { sku: 'XX-404' }, quantityPlanned: 5, quantityGood: 0, quantityScrap: 0 },
      ],
    });
    expect(errors).toBeUndefined();
    const costOf = (sku: string) => erp.world.erp.products.find((p) => p.sku === sku)!.standardCost;
    const cents = (value: number) => Math.round(value * 100) / 100;
    expect(data._entities).toEqual([
      ...workOrders.map((wo) => ({
        id: wo.id,
        plannedCost: cents(wo.quantityPlanned * costOf(wo.sku)),
        actualCost: cents((wo.quantityGood + wo.quantityScrap) * costOf(wo.sku)),
        costCurrency: 'EUR',
      })),
      { id: 'WO-X', plannedCost: null, actualCost: null, costCurrency: null },
    ]);
    // Seed 7's first work order: 220 planned and 221 good + 8 scrap of FG-0002 at a standard cost of 138.94.
    expect(data._entities[0]).toEqual({ id: 'WO-000001', plannedCost: 30566.8, actualCost: 31817.26, costCurrency: 'EUR' });
  });

  it('refuses a work order representation that lacks a @requires field', async () => {
    const { data, errors } = await erp.run(`query ($r: [_Any!]!) { _entities(representations: $r) { ... on WorkOrder { plannedCost } } }`, {
      r: [{ __typename: 'WorkOrder', id: 'WO-000001', product: { sku: 'FG-0002' } }],
    });
    expect(data?._entities).toEqual([{ plannedCost: null }]);
    expect(errors?.[0]?.message).toMatch(/lacks quantityPlanned/);
  });

  it('adds to MES lots the shipments that carried them, [] for a lot never shipped', async () => {
    const shipped = erp.world.erp.shipments.filter((s) => s.lots.some((l) => l.lotNumber === 'LOT-FG-000002'));
    expect(shipped.length).toBeGreaterThan(0);
    const { data, errors } = await erp.run(LOT_SHIPMENTS, {
      representations: [
        { __typename: 'MaterialLot', lotNumber: 'LOT-FG-000002' },
        { __typename: 'MaterialLot', lotNumber: 'LOT-RM-000001' },
      ],
    });
    expect(errors).toBeUndefined();
    const orderOf = (id: string) => erp.world.erp.salesOrders.find((o) => o.id === id)!;
    expect(data._entities).toEqual([
      {
        lotNumber: 'LOT-FG-000002',
        shipments: shipped.map((s) => ({ id: s.id, salesOrder: { id: s.salesOrderId, customer: { id: orderOf(s.salesOrderId).customerId } } })),
      },
      { lotNumber: 'LOT-RM-000001', shipments: [] },
    ]);
  });
});
