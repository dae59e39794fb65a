import { centsTotal, createErpHarness, ErpHarness } from './harness';

describe('ERP customer, product, invoice, shipment and procurement queries', () => {
  let erp: ErpHarness;
  beforeAll(async () => {
    erp = await createErpHarness();
  });
  afterAll(() => erp.stop());

  it('customer(id) and customers(filter, first, after)', async () => {
    const one = await erp.run(`{ customer(id: "C-0002") { id erpReference name country creditLimit currency } }`);
    expect(one.data.customer).toEqual(erp.world.erp.customers.find((c) => c.id === 'C-0002'));
    expect(one.data.customer).toMatchObject({ country: 'PL', currency: 'PLN' });

    const page = await erp.run(`{ customers(first: 2) { totalCount nodes { id } pageInfo { hasNextPage endCursor } } }`);
    expect(page.data.customers).toMatchObject({ totalCount: 3, nodes: [{ id: 'C-0001' }, { id: 'C-0002' }], pageInfo: { hasNextPage: true } });
    const rest = await erp.run(`query ($after: String) { customers(first: 2, after: $after) { nodes { id } pageInfo { hasNextPage } } }`, {
      after: page.data.customers.pageInfo.endCursor,
    });
    expect(rest.data.customers).toEqual({ nodes: [{ id: 'C-0003' }], pageInfo: { hasNextPage: false } });

    const british = await erp.run(`{ customers(filter: { country: "GB" }) { totalCount nodes { id } } }`);
    expect(british.data.customers).toEqual({ totalCount: 1, nodes: [{ id: 'C-0003' }] });
    expect((await erp.run(`{ customer(id: "C-9999") { id } }`)).data.customer).toBeNull();
  });

  it('product(sku) and products(filter: { belowReorderPoint })', async () => {
    const one = await erp.run(`{ product(sku: "FG-0002") { sku erpReference name unitOfMeasure listPrice standardCost currency onHand reorderPoint } }`);
    expect(one.data.product).toEqual(erp.world.erp.products.find((p) => p.sku === 'FG-0002'));
    expect(one.data.product).toMatchObject({ listPrice: 230.66, standardCost: 138.94, currency: 'EUR' });

    const low = await erp.run(`{ products(filter: { belowReorderPoint: true }, first: 100) { totalCount nodes { sku onHand reorderPoint } } }`);
    const expected = erp.world.erp.products.filter((p) => p.onHand <= p.reorderPoint).map((p) => p.sku).sort();
    expect(low.data.products.nodes.map((p: any) => p.sku).sort()).toEqual(expected);
    expect(low.data.products.totalCount).toBe(expected.length);
    expect(expected).toContain('FG-0001');

    const all = await erp.run(`{ products(first: 5) { totalCount nodes { sku } } }`);
    expect(all.data.products.totalCount).toBe(15);
    expect(all.data.products.nodes).toHaveLength(5);
    expect((await erp.run(`{ product(sku: "NOPE") { sku } }`)).data.product).toBeNull();
  });

  it('invoice(id) and invoices(filter) with the order they bill', async () => {
    const one = await erp.run(`{ invoice(id: "INV-000002") { id erpReference number amount currency status issuedAt dueAt salesOrder { id total } } }`);
    expect(one.data.invoice).toEqual({
      id: 'INV-000002',
      erpReference: 'ACC-SINV-2025-00002',
      number: 'SINV-2025-00002',
      amount: 93817.1,
      currency: 'GBP',
      status: 'PAID',
      issuedAt: '2025-11-12T14:11:36.000Z',
      dueAt: '2026-02-10T14:11:36.000Z',
      salesOrder: { id: 'SO-000002', total: 93817.1 },
    });

    const invoices = erp.world.erp.invoices;
    const paid = await erp.run(`{ invoices(filter: { status: PAID }, first: 100) { totalCount nodes { id } } }`);
    const expectedPaid = invoices.filter((i) => i.status === 'PAID').map((i) => i.id);
    expect(paid.data.invoices).toEqual({ totalCount: expectedPaid.length, nodes: expectedPaid.map((id) => ({ id })) });

    const forOrder = await erp.run(`{ invoices(filter: { salesOrderId: "SO-000001" }) { totalCount nodes { id } } }`);
    expect(forOrder.data.invoices).toEqual({ totalCount: 1, nodes: [{ id: 'INV-000001' }] });
  });

  it('shipment(id) with its lots and order', async () => {
    const { data } = await erp.run(`{ shipment(id: "SHP-000002") { id erpReference shippedAt lots { lotNumber quantity lot { lotNumber } } salesOrder { id number } } }`);
    expect(data.shipment).toEqual({
      id: 'SHP-000002',
      erpReference: 'MAT-DN-2025-00002',
      shippedAt: '2025-11-11T06:45:04.000Z',
      lots: [
        { lotNumber: 'LOT-FG-000002', quantity: 275, lot: { lotNumber: 'LOT-FG-000002' } },
        { lotNumber: 'LOT-FG-000005', quantity: 135, lot: { lotNumber: 'LOT-FG-000005' } },
        { lotNumber: 'LOT-FG-000006', quantity: 80, lot: { lotNumber: 'LOT-FG-000006' } },
        { lotNumber: 'LOT-FG-000004', quantity: 240, lot: { lotNumber: 'LOT-FG-000004' } },
      ],
      salesOrder: { id: 'SO-000002', number: 'SO-2025-00002' },
    });
    expect((await erp.run(`{ shipment(id: "SHP-999999") { id } }`)).data.shipment).toBeNull();
  });

  it('supplier(id), suppliers, purchaseOrder(id) and purchaseOrders(filter) with totals', async () => {
    const suppliers = await erp.run(`{ suppliers { totalCount nodes { id erpReference name country } } }`);
    expect(suppliers.data.suppliers.nodes).toEqual(erp.world.erp.suppliers);
    expect(suppliers.data.suppliers.totalCount).toBe(3);
    expect((await erp.run(`{ supplier(id: "S-0002") { id } }`)).data.supplier).toEqual({ id: 'S-0002' });

    const po = await erp.run(`{ purchaseOrder(id: "PO-000002") {
      id erpReference number status orderedAt expectedAt currency total supplier { id }
      lines { lineNo quantity unitPrice amount product { sku } } } }`);
    expect(po.data.purchaseOrder).toEqual({
      id: 'PO-000002',
      erpReference: 'PUR-ORD-2026-00001',
      number: 'PO-2026-00001',
      status: 'RECEIVED',
      orderedAt: '2026-01-21T14:07:49.000Z',
      expectedAt: '2026-02-02T14:07:49.000Z',
      currency: 'EUR',
      // 3900 × 14.19 + 4700 × 8.27
      total: 94210,
      supplier: { id: 'S-0003' },
      lines: [
        { lineNo: 1, quantity: 3900, unitPrice: 14.19, amount: 55341, product: { sku: 'RM-0003' } },
        { lineNo: 2, quantity: 4700, unitPrice: 8.27, amount: 38869, product: { sku: 'RM-0006' } },
      ],
    });

    const purchaseOrders = erp.world.erp.purchaseOrders;
    const bySupplier = await erp.run(`{ purchaseOrders(filter: { supplierId: "S-0001" }) { totalCount nodes { id total } } }`);
    const expected = purchaseOrders.filter((o) => o.supplierId === 'S-0001');
    expect(bySupplier.data.purchaseOrders).toEqual({
      totalCount: expected.length,
      nodes: expected.map((o) => ({ id: o.id, total: centsTotal(o.lines) })),
    });
    const received = await erp.run(`{ purchaseOrders(filter: { status: RECEIVED }) { totalCount } }`);
    expect(received.data.purchaseOrders.totalCount).toBe(purchaseOrders.filter((o) => o.status === 'RECEIVED').length);
  });
});
