import http from 'node:http';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { systemClock } from '../../subgraphs/common/clock';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { startErpSubgraph } from '../../subgraphs/erp/server';

/** The request target forms the shared HTTP front (subgraphs and gateway) routes by. */
function request(port: number, method: string, path: string, body?: string, extra: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...extra } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('HTTP front request targets', () => {
  let erp: RunningServer;
  const query = JSON.stringify({ query: '{ __typename }' });

  beforeAll(async () => {
    erp = await startErpSubgraph({ port: 0, host: '127.0.0.1', backend: createMockErpBackend({ seed: 7, scale: 30 }), clock: systemClock });
  });
  afterAll(() => erp.stop());

  it('routes the origin form, with and without a query string', async () => {
    expect(await request(erp.port, 'POST', '/graphql', query)).toEqual({ status: 200, body: '{"data":{"__typename":"Query"}}\n' });
    expect((await request(erp.port, 'POST', '/graphql?trace=1', query)).status).toBe(200);
    expect((await request(erp.port, 'GET', '/health?probe=1')).status).toBe(200);
    // The query string reaches Apollo (a GET needs a preflight header past its CSRF check).
    const get = await request(erp.port, 'GET', `/graphql?query=${encodeURIComponent('{ __typename }')}`, undefined, { 'apollo-require-preflight': '1' });
    expect(get.body).toBe('{"data":{"__typename":"Query"}}\n');
  });

  it('routes the absolute form a proxy sends', async () => {
    expect((await request(erp.port, 'POST', `http://127.0.0.1:${erp.port}/graphql`, query)).status).toBe(200);
    expect((await request(erp.port, 'GET', `http://127.0.0.1:${erp.port}/health`)).status).toBe(200);
  });

  it('answers 404 elsewhere', async () => {
    expect((await request(erp.port, 'POST', '/graphqlx', query)).status).toBe(404);
    expect((await request(erp.port, 'GET', '/health/nope')).status).toBe(404);
  });
});
