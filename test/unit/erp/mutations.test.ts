import { createErpHarness, ErpHarness, NOW, onlyError } from './harness';

const CREATE_SALES_ORDER = `mutation ($input: CreateSalesOrderInput!) {
  createSalesOrder(input: $input) {
    id status orderedAt dueDate currency total
    customer { id }
    lines { lineNo quantity unitPrice amount product { sku } }
  }
}`;

const CONFIRM = `mutation ($id: ID!) { confirmSalesOrder(id: $id) { id status } }`;

const CREATE_PURCHASE_ORDER = `mutation ($input: CreatePurchaseOrderInput!) {
  createPurchaseOrder(input: $input) {
    id status expectedAt currency total supplier { id }
    lines { lineNo quantity unitPrice amount product { sku } }
  }
}`;

const DUE = new Date(NOW.getTime() + 30 * 86_400_000).toISOString();
const PAST = new Date(NOW.getTime() - 60_000).toISOString();

describe('ERP mutations', () => {
  let erp: ErpHarness;
  beforeEach(async () => {
    erp = await createErpHarness();
  });
  afterEach(() => erp.stop());

  const orderCount = async () => (await erp.run(`{ salesOrders(first: 0) { totalCount } }`)).data.salesOrders.totalCount;

  describe('createSalesOrder', () => {
    it('creates a DRAFT order, pricing omitted lines at list price in the customer currency', async () => {
      const { data, errors } = await erp.run(CREATE_SALES_ORDER, {
        input: { customerId: 'C-0001', dueDate: DUE, lines: [{ sku: 'FG-0001', quantity: 3 }, { sku: 'FG-0005', quantity: 7, unitPrice: 20.015 }] },
      });
      expect(errors).toBeUndefined();
      expect(data.createSalesOrder).toEqual({
        id: 'SO-000031',
        status: 'DRAFT',
        orderedAt: NOW.toISOString(),
        dueDate: DUE,
        currency: 'EUR',
        // 3 × 178.24 (list price) + 7 × 20.015 = 534.72 + 140.105 → 140.11 (half a cent rounds up)
        total: 674.83,
        customer: { id: 'C-0001' },
        lines: [
          { lineNo: 1, quantity: 3, unitPrice: 178.24, amount: 534.72, product: { sku: 'FG-0001' } },
          { lineNo: 2, quantity: 7, unitPrice: 20.015, amount: 140.11, product: { sku: 'FG-0005' } },
        ],
      });
      const read = await erp.run(`{ salesOrder(id: "SO-000031") { id total } }`);
      expect(read.data.salesOrder).toEqual({ id: 'SO-000031', total: 674.83 });
      expect(await orderCount()).toBe(31);
    });

    it('takes an explicit currency and prices for a customer billed in another currency', async () => {
      const { data, errors } = await erp.run(CREATE_SALES_ORDER, {
        input: { customerId: 'C-0002', dueDate: DUE, lines: [{ sku: 'FG-0002', quantity: 10, unitPrice: 990.5 }] },
      });
      expect(errors).toBeUndefined();
      expect(data.createSalesOrder).toMatchObject({ currency: 'PLN', total: 9905, customer: { id: 'C-0002' } });
    });

    it('is idempotent by key: a retry returns the first order and creates nothing', async () => {
      const input = { customerId: 'C-0001', dueDate: DUE, lines: [{ sku: 'FG-0003', quantity: 5 }], idempotencyKey: 'portal-42' };
      const first = await erp.run(CREATE_SALES_ORDER, { input });
      const retry = await erp.run(CREATE_SALES_ORDER, { input });
      expect(first.errors).toBeUndefined();
      expect(retry.data.createSalesOrder).toEqual(first.data.createSalesOrder);
      expect(await orderCount()).toBe(31);
      const other = await erp.run(CREATE_SALES_ORDER, { input: { ...input, idempotencyKey: 'portal-43' } });
      expect(other.data.createSalesOrder.id).toBe('SO-000032');
    });

    const valid = { customerId: 'C-0001', dueDate: DUE, lines: [{ sku: 'FG-0001', quantity: 1 }, { sku: 'FG-0002', quantity: 2 }] };
    it.each([
      ['no lines', { ...valid, lines: [] }, 'input.lines', /at least one line/],
      ['a due date in the past', { ...valid, dueDate: PAST }, 'input.dueDate', /in the past/],
      ['an unknown customer', { ...valid, customerId: 'C-9999' }, 'input.customerId', /customer C-9999 does not exist/],
      ['an unknown product', { ...valid, lines: [valid.lines[0], { sku: 'FG-9999', quantity: 1 }] }, 'input.lines[1].sku', /FG-9999/],
      ['a zero quantity', { ...valid, lines: [{ sku: 'FG-0001', quantity: 0 }] }, 'input.lines[0].quantity', /positive/],
      ['a negative quantity', { ...valid, lines: [valid.lines[0], { sku: 'FG-0002', quantity: -4 }] }, 'input.lines[1].quantity', /positive/],
      ['a negative price', { ...valid, lines: [{ sku: 'FG-0001', quantity: 1, unitPrice: -1 }] }, 'input.lines[0].unitPrice', /negative/],
      ['a malformed currency', { ...valid, currency: 'euro' }, 'input.currency', /ISO 4217/],
      ['a list price in another currency', { ...valid, currency: 'USD' }, 'input.lines[0].unitPrice', /priced in EUR.*USD/],
      ['an empty idempotency key', { ...valid, idempotencyKey: ' ' }, 'input.idempotencyKey', /must not be empty/],
    ])('rejects %s, naming the field, before any write', async (_case, input, field, message) => {
      const error = onlyError(await erp.run(CREATE_SALES_ORDER, { input }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(error.message).toMatch(message);
      expect(erp.counted.calls().createSalesOrder).toBeUndefined();
      expect(await orderCount()).toBe(30);
    });

    it('looks up the customer and all line products in one backend call each', async () => {
      erp.counted.reset();
      await erp.run(CREATE_SALES_ORDER, { input: { ...valid, lines: [...valid.lines, { sku: 'FG-0003', quantity: 1 }] } });
      expect(erp.counted.calls()).toEqual({ getCustomers: 1, getProducts: 1, createSalesOrder: 1 });
    });
  });

  describe('confirmSalesOrder', () => {
    const draftId = () => erp.world.erp.salesOrders.find((o) => o.status === 'DRAFT')!.id;

    it('moves a DRAFT order to CONFIRMED, once', async () => {
      const id = draftId();
      expect((await erp.run(CONFIRM, { id })).data.confirmSalesOrder).toEqual({ id, status: 'CONFIRMED' });
      expect((await erp.run(`query ($id: ID!) { salesOrder(id: $id) { status } }`, { id })).data.salesOrder.status).toBe('CONFIRMED');

      const again = onlyError(await erp.run(CONFIRM, { id }));
      expect(again).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(again.message).toMatch(/is CONFIRMED; only a DRAFT order can be confirmed/);
    });

    it('confirms an order this API created', async () => {
      const created = await erp.run(CREATE_SALES_ORDER, { input: { customerId: 'C-0003', dueDate: DUE, lines: [{ sku: 'FG-0004', quantity: 1, unitPrice: 120 }] } });
      const { id } = created.data.createSalesOrder;
      expect((await erp.run(CONFIRM, { id })).data.confirmSalesOrder).toEqual({ id, status: 'CONFIRMED' });
    });

    it('refuses any other status, naming it', async () => {
      const error = onlyError(await erp.run(CONFIRM, { id: 'SO-000001' }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(error.message).toBe('sales order SO-2025-00001 is CLOSED; only a DRAFT order can be confirmed');
    });

    it('refuses an unknown id', async () => {
      const result = await erp.run(CONFIRM, { id: 'SO-999999' });
      expect(onlyError(result)).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id', message: 'sales order SO-999999 does not exist' });
      expect(result.errors![0]!.extensions!.reason).toBe('NOT_FOUND');
    });

    it('reports the status a concurrent change left when the compare-and-set loses', async () => {
      const id = draftId();
      const transition = erp.backend.transitionSalesOrder.bind(erp.backend);
      jest.spyOn(erp.backend, 'transitionSalesOrder').mockImplementationOnce(async () => {
        await transition(id, 'DRAFT', 'CANCELLED');
        return null;
      });
      const error = onlyError(await erp.run(CONFIRM, { id }));
      expect(error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });
      expect(error.message).toMatch(/is CANCELLED/);
    });
  });

  describe('createPurchaseOrder', () => {
    it('creates an order priced at standard cost in the product currency by default', async () => {
      const { data, errors } = await erp.run(CREATE_PURCHASE_ORDER, {
        input: { supplierId: 'S-0002', expectedAt: DUE, lines: [{ sku: 'RM-0001', quantity: 1000 }, { sku: 'RM-0003', quantity: 3, unitPrice: 13 }] },
      });
      expect(errors).toBeUndefined();
      expect(data.createPurchaseOrder).toEqual({
        id: 'PO-000004',
        status: 'SUBMITTED',
        expectedAt: DUE,
        currency: 'EUR',
        // 1000 × 1.41 + 3 × 13
        total: 1449,
        supplier: { id: 'S-0002' },
        lines: [
          { lineNo: 1, quantity: 1000, unitPrice: 1.41, amount: 1410, product: { sku: 'RM-0001' } },
          { lineNo: 2, quantity: 3, unitPrice: 13, amount: 39, product: { sku: 'RM-0003' } },
        ],
      });
    });

    it('is idempotent by key', async () => {
      const input = { supplierId: 'S-0001', expectedAt: DUE, lines: [{ sku: 'RM-0002', quantity: 50 }], idempotencyKey: 'po-1' };
      const first = await erp.run(CREATE_PURCHASE_ORDER, { input });
      const retry = await erp.run(CREATE_PURCHASE_ORDER, { input });
      expect(retry.data.createPurchaseOrder.id).toBe(first.data.createPurchaseOrder.id);
      expect((await erp.run(`{ purchaseOrders { totalCount } }`)).data.purchaseOrders.totalCount).toBe(4);
    });

    const valid = { supplierId: 'S-0001', expectedAt: DUE, lines: [{ sku: 'RM-0001', quantity: 10 }] };
    it.each([
      ['an unknown supplier', { ...valid, supplierId: 'S-9999' }, 'input.supplierId'],
      ['an expected date in the past', { ...valid, expectedAt: PAST }, 'input.expectedAt'],
      ['no lines', { ...valid, lines: [] }, 'input.lines'],
      ['an unknown product', { ...valid, lines: [{ sku: 'RM-9999', quantity: 1 }] }, 'input.lines[0].sku'],
      ['a zero quantity', { ...valid, lines: [{ sku: 'RM-0001', quantity: 0 }] }, 'input.lines[0].quantity'],
      ['a standard cost in another currency', { ...valid, currency: 'USD' }, 'input.lines[0].unitPrice'],
    ])('rejects %s, naming the field, before any write', async (_case, input, field) => {
      expect(onlyError(await erp.run(CREATE_PURCHASE_ORDER, { input }))).toMatchObject({ code: 'BAD_USER_INPUT', field });
      expect(erp.counted.calls().createPurchaseOrder).toBeUndefined();
    });
  });
});
