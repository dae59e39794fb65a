import { generateWorld } from '../../../mocks/dataset';
import { startFakeErpNext, type FakeErpNext } from '../../../mocks/erpnext/fake-erpnext-server';
import { ErpNextRestBackend } from '../../../subgraphs/erp/backend/erpnext';
import { freePort } from '../../fixtures/free-port';

const world = generateWorld({ seed: 5, scale: 30 });
const credentials = { apiKey: 'key', apiSecret: 'secret' };

/** Every way ERPNext can fail, at the adapter: a typed GraphQL error naming the ERP, never a crash or a hang. */
describe('ErpNextRestBackend failures', () => {
  let fake: FakeErpNext;
  let backend: ErpNextRestBackend;
  beforeAll(async () => {
    fake = await startFakeErpNext({ world, ...credentials });
    backend = new ErpNextRestBackend({ url: fake.origin, ...credentials, timeoutMs: 300 });
  });
  afterEach(() => fake.setFaults({}));
  afterAll(async () => {
    await backend.close();
    await fake.stop();
  });

  const unavailable = (status?: number) => ({
    extensions: status === undefined ? { code: 'BACKEND_UNAVAILABLE', backend: 'erpnext' } : { code: 'BACKEND_UNAVAILABLE', backend: 'erpnext', status },
  });

  it('sends the token and speaks /api/resource with fields, filters and paging', async () => {
    fake.resetLog();
    await backend.getCustomers([world.erp.customers[0]!.id]);
    expect(fake.requests).toHaveLength(1);
    const url = new URL(fake.requests[0]!.url, fake.origin);
    expect(url.pathname).toBe('/api/resource/Customer');
    expect(JSON.parse(url.searchParams.get('filters')!)).toEqual([['forge_id', 'in', [world.erp.customers[0]!.id]]]);
    expect(url.searchParams.get('limit_start')).toBe('0');
  });

  it('maps refused credentials (401) to BACKEND_UNAVAILABLE with the status, without echoing the key', async () => {
    fake.setFaults({ refuseToken: true });
    const error = await backend.getCustomers(['C-0001']).catch((e: unknown) => e);
    expect(error).toMatchObject(unavailable(401));
    expect((error as Error).message).toMatch(/ERPNext.*credentials/);
    expect((error as Error).message).not.toContain('secret');
    const wrong = new ErpNextRestBackend({ url: fake.origin, apiKey: 'key', apiSecret: 'nope', timeoutMs: 300 });
    await expect(wrong.listSuppliers({ offset: 0, limit: 5 })).rejects.toMatchObject(unavailable(401));
    await wrong.close();
  });

  it('maps 5xx to BACKEND_UNAVAILABLE with the status', async () => {
    fake.setFaults({ status: 500 });
    await expect(backend.listSalesOrders({}, { offset: 0, limit: 5 })).rejects.toMatchObject(unavailable(500));
    fake.setFaults({ status: 503, doctypes: ['Sales Order Item'] });
    await expect(backend.getSalesOrders([world.erp.salesOrders[0]!.id])).rejects.toMatchObject(unavailable(503));
  });

  it('gives up after the timeout instead of waiting for a slow ERP', async () => {
    fake.setFaults({ delayMs: 2000 });
    const started = Date.now();
    const error = await backend.getProducts(['FG-0001']).catch((e: unknown) => e);
    expect(error).toMatchObject(unavailable());
    expect((error as Error).message).toMatch(/timed out after 300 ms/);
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('maps a refused connection to BACKEND_UNAVAILABLE', async () => {
    const closed = new ErpNextRestBackend({ url: `http://127.0.0.1:${await freePort()}`, ...credentials, timeoutMs: 1000 });
    const error = await closed.getCustomers(['C-0001']).catch((e: unknown) => e);
    expect(error).toMatchObject(unavailable());
    expect((error as Error).message).toMatch(/connection refused/);
    await closed.close();
  });

  it('maps a 417 validation error to BAD_USER_INPUT with ERPNext\'s message', async () => {
    const input = { customerId: world.erp.customers[0]!.id, dueDate: '2026-05-01T00:00:00Z', currency: 'EUR', lines: [{ sku: 'NOPE-1', quantity: 1, unitPrice: 1 }] };
    const error = await backend.createSalesOrder(input).catch((e: unknown) => e);
    expect(error).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', backend: 'erpnext', status: 417, excType: 'LinkValidationError' } });
    expect((error as Error).message).toContain('Could not find Item: NOPE-1');
  });

  it('reads 404 on a document as a miss: a transition of an order ERPNext lost is null', async () => {
    const [order] = await backend.getSalesOrders([world.erp.salesOrders.find((o) => o.status === 'DRAFT')!.id]);
    const table = fake.store.table('Sales Order');
    const index = table.findIndex((d) => d.name === order!.erpReference);
    // Remove the document between the read and the write, as a concurrent delete would.
    const update = jest.spyOn(fake.store, 'update').mockReturnValue(undefined);
    expect(await backend.transitionSalesOrder(order!.id, 'DRAFT', 'CONFIRMED')).toBeNull();
    update.mockRestore();
    expect(table[index]!.forge_status).toBe('DRAFT');
  });

  it('lets exactly one of two racing transitions win (Frappe `modified` check, 417 TimestampMismatchError)', async () => {
    const input = { customerId: world.erp.customers[0]!.id, dueDate: '2026-05-01T00:00:00Z', currency: 'EUR', lines: [{ sku: 'FG-0001', quantity: 1, unitPrice: 1 }] };
    const draft = await backend.createSalesOrder(input);
    const results = await Promise.all([
      backend.transitionSalesOrder(draft.id, 'DRAFT', 'CONFIRMED'),
      backend.transitionSalesOrder(draft.id, 'DRAFT', 'CANCELLED'),
    ]);
    expect(results.filter((r) => r !== null)).toHaveLength(1);
    const [now] = await backend.getSalesOrders([draft.id]);
    expect(now!.status).toBe(results.find((r) => r !== null)!.status);
  });

  it('batches: one call per DocType for 1,000 keys, chunks above that', async () => {
    fake.resetLog();
    const ids = Array.from({ length: 1000 }, (_, i) => `C-${String(i + 1).padStart(4, '0')}`);
    const found = await backend.getCustomers(ids);
    expect(found.filter(Boolean)).toHaveLength(world.erp.customers.length);
    expect(fake.requests).toHaveLength(1);
    fake.resetLog();
    await backend.getCustomers([...ids, 'C-1001']);
    expect(fake.requests).toHaveLength(2);
  });
});
