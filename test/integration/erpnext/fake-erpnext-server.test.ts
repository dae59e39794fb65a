import { generateWorld } from '../../../mocks/dataset';
import { startFakeErpNext, type FakeErpNext } from '../../../mocks/erpnext/fake-erpnext-server';

const world = generateWorld({ seed: 9, scale: 40 });
const auth = { authorization: 'token k:s' };

/** The fake speaks ERPNext's REST dialect: what the adapter does not use yet must still behave like Frappe. */
describe('fake ERPNext server', () => {
  let fake: FakeErpNext;
  beforeAll(async () => {
    fake = await startFakeErpNext({ world, apiKey: 'k', apiSecret: 's' });
  });
  afterAll(() => fake.stop());

  async function list(doctype: string, params: Record<string, unknown>) {
    const search = new URLSearchParams(Object.entries(params).map(([k, v]): [string, string] => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
    const res = await fetch(`${fake.origin}/api/resource/${encodeURIComponent(doctype)}?${search}`, { headers: auth });
    return { status: res.status, body: (await res.json()) as any };
  }
  const names = (body: any) => body.data.map((d: any) => d.name);
  const orders = world.erp.salesOrders;

  it('applies every filter operator', async () => {
    const all = { fields: ['name', 'grand_total', 'forge_status'], limit_page_length: 0, order_by: 'name asc' };
    const refs = orders.map((o) => o.erpReference).sort();
    const first = refs[0]!;
    expect(names((await list('Sales Order', { ...all, filters: [['name', '=', first]] })).body)).toEqual([first]);
    expect(names((await list('Sales Order', { ...all, filters: [['name', '!=', first]] })).body)).toEqual(refs.slice(1));
    expect(names((await list('Sales Order', { ...all, filters: [['name', 'in', refs.slice(0, 3)]] })).body)).toEqual(refs.slice(0, 3));
    expect(names((await list('Sales Order', { ...all, filters: [['name', 'not in', refs.slice(1)]] })).body)).toEqual([first]);
    expect(names((await list('Sales Order', { ...all, filters: [['name', 'between', [refs[1], refs[3]]]] })).body)).toEqual(refs.slice(1, 4));
    expect(names((await list('Sales Order', { ...all, filters: [['name', 'like', 'sal-ord-2026-%']] })).body)).toEqual(refs.filter((r) => r.startsWith('SAL-ORD-2026-')));
    const big = (await list('Sales Order', { ...all, filters: [['grand_total', '>', 10000], ['grand_total', '<=', 50000]] })).body.data;
    expect(big.every((d: any) => d.grand_total > 10000 && d.grand_total <= 50000)).toBe(true);
    const small = (await list('Sales Order', { ...all, filters: [['grand_total', '<', 10000]] })).body.data;
    const atLeast = (await list('Sales Order', { ...all, filters: { grand_total: ['>=', 10000] } })).body.data;
    expect(small.length + atLeast.length).toBe(orders.length);
  });

  it('selects fields, pages with limit_start / limit_page_length (20 by default) and orders', async () => {
    const page = await list('Customer', { fields: ['name', 'customer_name'], order_by: 'name desc', limit_start: 1, limit_page_length: 1 });
    const sorted = world.erp.customers.map((c) => c.erpReference).sort().reverse();
    expect(page.body.data).toEqual([{ name: sorted[1], customer_name: world.erp.customers.find((c) => c.erpReference === sorted[1])!.name }]);
    expect((await list('Sales Order', {})).body.data).toHaveLength(20);
    expect(Object.keys((await list('Sales Order', {})).body.data[0])).toEqual(['name']);
    expect((await list('Sales Order', { order_by: 'name; drop table' })).status).toBe(417);
  });

  it('serves a document with its child table, 404 for an unknown name or DocType', async () => {
    const order = orders[0]!;
    const res = await fetch(`${fake.origin}/api/resource/Sales%20Order/${order.erpReference}`, { headers: auth });
    const doc = ((await res.json()) as any).data;
    expect(doc.items.map((i: any) => [i.idx, i.item_code, i.qty])).toEqual(order.lines.map((l) => [l.lineNo, l.sku, l.quantity]));
    expect((await fetch(`${fake.origin}/api/resource/Sales%20Order/SAL-ORD-1999-00001`, { headers: auth })).status).toBe(404);
    expect((await list('Work Order', {})).status).toBe(404);
  });

  it('answers 401 to a wrong token and 417 with _server_messages to an invalid POST', async () => {
    expect((await fetch(`${fake.origin}/api/resource/Customer`, { headers: { authorization: 'token k:wrong' } })).status).toBe(401);
    const res = await fetch(`${fake.origin}/api/resource/Sales%20Order`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ customer: 'CUST-99999', delivery_date: '2026-05-01 00:00:00', items: [] }),
    });
    expect(res.status).toBe(417);
    const body = (await res.json()) as any;
    expect(body.exc_type).toBe('LinkValidationError');
    expect(JSON.parse(JSON.parse(body._server_messages)[0]).message).toContain('Could not find Customer');
  });

  it('counts requests and takes faults over its admin routes', async () => {
    await fetch(`${fake.origin}/__fake/reset`, { method: 'POST' });
    await list('Customer', {});
    await list('Supplier', {});
    expect(((await (await fetch(`${fake.origin}/__fake/requests`)).json()) as any).count).toBe(2);
    await fetch(`${fake.origin}/__fake/faults`, { method: 'POST', body: JSON.stringify({ status: 503, doctypes: ['Supplier'] }) });
    expect((await list('Supplier', {})).status).toBe(503);
    expect((await list('Customer', {})).status).toBe(200);
    fake.setFaults({});
  });
});
