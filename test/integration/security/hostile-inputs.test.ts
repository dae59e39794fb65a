import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { startService, startStack, type Service, type Stack } from '../../fixtures/stack';
import { signIdentity } from '../../../subgraphs/common/identity';
import { claims, hs256 } from '../auth/tokens';
import { HOSTILE_CORPUS, HOSTILE_SOCKETS, LISTED, SECURED_ENV, type HostileCase } from './hostile-corpus';

/**
 * Every entry of the hostile corpus against real processes — a default stack plus an allowlist gateway, and a
 * secured stack (authentication on, signed identity between gateway and subgraphs) — then proof that every
 * gateway and subgraph still answers a normal query.
 */
describe('hostile inputs', () => {
  let stack: Stack;
  let secured: Stack;
  let allowlist: Service;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'forge-hostile-'));
  const manifest = path.join(dir, 'persisted.json');
  // Rate limiting is tested on its own (rate-limit.test.ts); here it must stay out of the way.
  const env = { RATE_LIMIT_BURST: '100000', RATE_LIMIT_PER_MINUTE: '100000' };

  beforeAll(async () => {
    fs.writeFileSync(manifest, JSON.stringify(LISTED));
    [stack, secured] = await Promise.all([
      startStack({ seed: 5, scale: 30, env }),
      startStack({ seed: 5, scale: 30, env: { ...env, ...SECURED_ENV } }),
    ]);
    allowlist = await startService('gateway', {
      ...env,
      SUBGRAPH_URL_ERP: stack.erpUrl,
      SUBGRAPH_URL_MES: stack.mesUrl,
      PERSISTED_OPERATIONS_MODE: 'allowlist',
      PERSISTED_OPERATIONS_PATH: manifest,
    });
  }, 120_000);
  afterAll(async () => {
    await Promise.all([stack?.stop(), secured?.stop(), allowlist?.stop()]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function send(entry: HostileCase) {
    const target = entry.target ?? 'gateway';
    const url =
      entry.profile === 'allowlist' ? allowlist.url : entry.profile === 'secured' ? secured.services[target].url : stack.services[target].url;
    const { method = 'POST', body, search, headers = { 'content-type': 'application/json' } } = entry.request;
    const res = await fetch(search ? `${url}?${search}` : url, {
      method,
      headers,
      body: body === undefined || method === 'GET' ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let json: any;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const results = Array.isArray(json) ? json : [json];
    const firstError = results.flatMap((r: any) => r?.errors ?? [])[0];
    return { status: res.status, firstError, text };
  }

  it.each(HOSTILE_CORPUS.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const { status, firstError, text } = await send(entry);
    const summary = `${status} ${text.slice(0, 300)}`;
    expect({ status, summary }).toEqual({ status: entry.expect.status, summary: expect.any(String) });
    if (entry.expect.code === null) expect(firstError).toBeUndefined();
    else if (entry.expect.code) expect({ code: firstError?.extensions?.code, summary }).toEqual({ code: entry.expect.code, summary });
    if (entry.expect.extensions) expect(firstError?.extensions).toMatchObject(entry.expect.extensions);
  });

  it.each(HOSTILE_SOCKETS.map((entry) => [entry.name, entry] as const))('%s', async (_name, entry) => {
    const closed = await new Promise<number>((resolve) => {
      const client = createClient({
        url: secured.gatewayUrl.replace('http', 'ws'),
        webSocketImpl: WebSocket,
        retryAttempts: 0,
        lazy: false,
        connectionParams: entry.connectionParams,
        on: { closed: (event) => resolve((event as { code: number }).code) },
        onNonLazyError: () => undefined,
      });
      setTimeout(() => void client.dispose(), 5000);
    });
    expect(closed).toBe(entry.expectCloseCode);
  });

  it('has at least 60 entries', () => {
    expect(HOSTILE_CORPUS.length + HOSTILE_SOCKETS.length).toBeGreaterThanOrEqual(60);
  });

  it('applies the same limits to subscriptions over the WebSocket, before graphql-ws validates them', async () => {
    const client = createClient({ url: stack.gatewayUrl.replace('http', 'ws'), webSocketImpl: WebSocket, retryAttempts: 0 });
    const subscribe = (query: string) =>
      new Promise<any>((resolve) => {
        client.subscribe({ query }, { next: resolve, error: resolve, complete: () => resolve('complete') });
      });
    try {
      const deep = await subscribe(
        `subscription { machineStatusChanged { machine { currentWorkOrder { ${'consumedLots { consumedBy { '.repeat(7)} id ${'} } '.repeat(7)} } } } }`,
      );
      expect(deep[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', measure: 'depth' });
      const bomb = await subscribe(
        `subscription { ...F30 } fragment F0 on Subscription { machineStatusChanged { eventId } } ` +
          Array.from({ length: 30 }, (_, i) => `fragment F${i + 1} on Subscription { ...F${i} ...F${i} }`).join(' '),
      );
      expect(bomb[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX' });
    } finally {
      await client.dispose();
    }
  });

  it('leaves the gateway and both subgraphs answering a normal query', async () => {
    const query = '{ salesOrders(first: 3) { nodes { number customer { name } productionProgress { percentComplete } } } }';
    const response = await stack.query(query);
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrders.nodes).toHaveLength(3);
    expect((await stack.services.erp.query('{ salesOrders(first: 1) { totalCount } }')).errors).toBeUndefined();
    expect((await stack.services.mes.query('{ machines(first: 1) { totalCount } }')).errors).toBeUndefined();
    expect((await allowlist.query(LISTED['orders-v1'], { first: 1 })).errors).toBeUndefined();

    const token = hs256(claims());
    const viaSecured = await fetch(secured.gatewayUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query }),
    }).then((res) => res.json() as Promise<{ errors?: unknown; data: any }>);
    expect(viaSecured.errors).toBeUndefined();
    expect(viaSecured.data.salesOrders.nodes).toHaveLength(3);
    const signed = signIdentity({ sub: 'alice', scopes: ['orders:read', 'production:read'] }, SECURED_ENV.IDENTITY_SIGNING_SECRET);
    for (const [service, probe] of [['erp', '{ salesOrders(first: 1) { totalCount } }'], ['mes', '{ workOrders(first: 1) { totalCount } }']] as const) {
      const answer = await fetch(secured.services[service].url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-forge-identity': signed },
        body: JSON.stringify({ query: probe }),
      }).then((res) => res.json() as Promise<{ errors?: unknown }>);
      expect({ service, errors: answer.errors }).toEqual({ service, errors: undefined });
    }
  });
});
