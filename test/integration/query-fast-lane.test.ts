import type http from 'node:http';
import { loadWorld } from '../../mocks/dataset/load-world';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { systemClock } from '../../subgraphs/common/clock';
import { serveGraphQL, type RunningServer } from '../../subgraphs/common/http-server';
import { IDENTITY_HEADER, requestIdentity, signIdentity } from '../../subgraphs/common/identity';
import type { QueryFastLane } from '../../subgraphs/common/query-fast-lane';
import { subgraphApollo } from '../../subgraphs/common/subgraph-apollo';
import { createErpContext, type ErpContext } from '../../subgraphs/erp/context';
import { buildErpSchema } from '../../subgraphs/erp/schema';

/**
 * The fast lane must be invisible: an ERP subgraph with it and one without (same schema, same backend) give the
 * same status, content type and bytes to every request, sent several times so the lane has learnt each query.
 */
const backend = createMockErpBackend({ seed: 7, scale: 30 });
const orders = loadWorld({ seed: 7, scale: 30 }).erp.salesOrders;
const SECRET = 'fast-lane-test-secret-of-at-least-32-chars';

async function start(options: { lane: boolean; secret?: string }): Promise<{ running: RunningServer; fastLane: QueryFastLane<ErpContext> }> {
  const schema = await buildErpSchema();
  const context = async (req: http.IncomingMessage) => createErpContext(backend, systemClock, requestIdentity(req, options.secret));
  const { server, fastLane } = subgraphApollo(schema, context, { debug() {}, info() {}, warn() {}, error() {} });
  const running = await serveGraphQL({ server, context, fastLane: options.lane ? fastLane : undefined, port: 0, host: '127.0.0.1' });
  return { running, fastLane };
}

interface Sent {
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  /** A JSON body (stringified here) or a raw one. */
  body?: unknown;
  raw?: string;
  search?: string;
}

async function send(url: string, request: Sent): Promise<{ status: number; type: string | null; body: string }> {
  const method = request.method ?? 'POST';
  const headers = { ...(method === 'POST' ? { 'content-type': 'application/json' } : {}), ...request.headers };
  const response = await fetch(url + (request.search ?? ''), {
    method,
    headers,
    body: method === 'POST' ? request.raw ?? JSON.stringify(request.body) : undefined,
  });
  // A federated trace carries timings, different on every answer: only its presence is compared.
  const body = (await response.text()).replace(/"ftv1":"[^"]+"/, '"ftv1":"…"');
  return { status: response.status, type: response.headers.get('content-type'), body };
}

const order = orders[3]!;
const ORDER_QUERY = `query Order($id: ID!) { salesOrder(id: $id) { id number total customer { id name } lines { lineNo quantity amount product { sku name } } } }`;
const TWO_OPERATIONS = `query Read { customers(first: 2) { nodes { id } } } mutation Confirm { confirmSalesOrder(id: "no-such-order") { id } }`;
const HUGE = `{ ${Array.from({ length: 1200 }, (_, i) => `a${i}: __typename`).join(' ')} }`;

/** Requests the lane may answer (after the first sight), and how many times each is sent. */
const qualifying: [string, Sent][] = [
  ['typename', { body: { query: '{ __typename }' } }],
  ['variables', { body: { query: ORDER_QUERY, variables: { id: order.id } } }],
  ['other variables, same text', { body: { query: ORDER_QUERY, variables: { id: orders[4]!.id } } }],
  ['a null result', { body: { query: ORDER_QUERY, variables: { id: 'no-such-order' } } }],
  ['the query of a two-operation document', { body: { query: TWO_OPERATIONS, operationName: 'Read' } }],
  ['accept */*', { headers: { accept: '*/*' }, body: { query: '{ __typename }' } }],
  ['charset in the content type', { headers: { 'content-type': 'application/json; charset=utf-8' }, body: { query: '{ __typename }' } }],
];

/** Requests Apollo must answer every time. */
const apolloOnly: [string, Sent][] = [
  ['a missing variable', { body: { query: ORDER_QUERY } }],
  ['a variable of the wrong type', { body: { query: ORDER_QUERY, variables: { id: { nested: true } } } }],
  ['a resolver error', { body: { query: '{ salesOrders(first: 100000) { totalCount } }' } }],
  ['a validation error', { body: { query: '{ nope }' } }],
  ['a syntax error', { body: { query: '{ salesOrder(' } }],
  ['the mutation of a two-operation document', { body: { query: TWO_OPERATIONS, operationName: 'Confirm' } }],
  ['no operation name for two operations', { body: { query: TWO_OPERATIONS } }],
  ['an unknown operation name', { body: { query: '{ __typename }', operationName: 'Nope' } }],
  ['a mutation', { body: { query: 'mutation { confirmSalesOrder(id: "no-such-order") { id } }' } }],
  ['graphql-response+json accepted', { headers: { accept: 'application/graphql-response+json' }, body: { query: '{ __typename }' } }],
  ['only html accepted', { headers: { accept: 'text/html' }, body: { query: '{ __typename }' } }],
  ['a federated trace asked for', { headers: { 'apollo-federation-include-trace': 'ftv1' }, body: { query: '{ __typename }' } }],
  ['a persisted-query extension', { body: { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'ab' } } } }],
  ['variables as a string', { body: { query: '{ __typename }', variables: '{}' } }],
  ['variables as an array', { body: { query: '{ __typename }', variables: [] } }],
  ['a batch', { body: [{ query: '{ __typename }' }] }],
  ['a GET', { method: 'GET', search: `?query=${encodeURIComponent('{ __typename }')}` }],
  ['text/plain (CSRF)', { headers: { 'content-type': 'text/plain' }, raw: JSON.stringify({ query: '{ __typename }' }) }],
  ['a query too long to remember', { body: { query: HUGE } }],
];

const SENDS = 3;

describe('subgraph query fast lane', () => {
  let lane: { running: RunningServer; fastLane: QueryFastLane<ErpContext> };
  let reference: { running: RunningServer; fastLane: QueryFastLane<ErpContext> };

  beforeAll(async () => {
    [lane, reference] = await Promise.all([start({ lane: true }), start({ lane: false })]);
  });
  afterAll(async () => {
    await Promise.all([lane.running.stop(), reference.running.stop()]);
  });

  it.each([...qualifying, ...apolloOnly])('answers %s exactly as Apollo does, every time', async (_name, request) => {
    for (let i = 0; i < SENDS; i++) {
      const [fast, apollo] = await Promise.all([send(lane.running.url, request), send(reference.running.url, request)]);
      expect(fast).toEqual(apollo);
    }
  });

  it('answers a repeated query itself, and leaves errors, mutations and unusual requests to Apollo', async () => {
    for (const [, request] of apolloOnly) {
      const before = lane.fastLane.answered;
      for (let i = 0; i < SENDS; i++) await send(lane.running.url, request);
      expect(lane.fastLane.answered).toBe(before);
    }
    for (const [name, request] of qualifying) {
      const before = lane.fastLane.answered;
      for (let i = 0; i < SENDS; i++) expect((await send(lane.running.url, request)).status).toBe(200);
      // Learnt by the earlier test, so every send takes the lane.
      expect({ name, answered: lane.fastLane.answered - before }).toEqual({ name, answered: SENDS });
    }
    expect(reference.fastLane.answered).toBe(0);
  });

  it('never answers a query it has not seen pass validation', async () => {
    const fresh = await start({ lane: true });
    try {
      const request: Sent = { body: { query: '{ customers(first: 1) { totalCount } }' } };
      await send(fresh.running.url, request);
      expect(fresh.fastLane.answered).toBe(0);
      await send(fresh.running.url, request);
      expect(fresh.fastLane.answered).toBe(1);
    } finally {
      await fresh.running.stop();
    }
  });

  it('refuses a missing or forged identity with 401 even for a query it has learnt', async () => {
    const secured = await start({ lane: true, secret: SECRET });
    try {
      const query = { query: '{ customers(first: 1) { totalCount } }' };
      const signed = { [IDENTITY_HEADER]: signIdentity({ sub: 'u1', scopes: [] }, SECRET) };
      for (let i = 0; i < SENDS; i++) expect((await send(secured.running.url, { headers: signed, body: query })).status).toBe(200);
      expect(secured.fastLane.answered).toBe(SENDS - 1);

      const forged = { [IDENTITY_HEADER]: signIdentity({ sub: 'u1', scopes: [] }, 'another-secret-of-at-least-32-characters') };
      for (const headers of [{}, forged]) {
        const refused = await send(secured.running.url, { headers, body: query });
        expect(refused.status).toBe(401);
        expect(JSON.parse(refused.body).errors[0].extensions.code).toBe('UNAUTHENTICATED');
      }
      expect(secured.fastLane.answered).toBe(SENDS - 1);
    } finally {
      await secured.running.stop();
    }
  });
});
