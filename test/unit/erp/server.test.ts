import net from 'node:net';
import { ConfigError } from '../../../subgraphs/common/config';
import type { RunningServer } from '../../../subgraphs/common/http-server';
import { startErpSubgraph } from '../../../subgraphs/erp/server';
import { createMockErpBackend } from '../../../mocks/erp/in-memory-erp-backend';
import { postGraphQL } from '../../fixtures/graphql-client';
import { frozenClock, NOW, SCALE, SEED } from './harness';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

function occupy(): Promise<net.Server> {
  return new Promise((resolve) => {
    const blocker = net.createServer().listen(0, '127.0.0.1', () => resolve(blocker));
  });
}

const portOf = (server: net.Server) => (server.address() as net.AddressInfo).port;

describe('ERP subgraph over HTTP', () => {
  let server: RunningServer;
  beforeAll(async () => {
    const backend = createMockErpBackend({ seed: SEED, scale: SCALE, anchor: NOW, clock: frozenClock });
    server = await startErpSubgraph({ port: 0, host: '127.0.0.1', backend, clock: frozenClock, logger: quiet });
  });
  afterAll(() => server.stop());

  it.each(['/health', '/health/live', '/health/ready'])('answers GET %s with 200 JSON', async (path) => {
    const res = await fetch(`http://127.0.0.1:${server.port}${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ status: 'ok', subgraph: 'erp' });
  });

  it('serves queries at /graphql', async () => {
    const response = await postGraphQL(server.url, `{ salesOrders(first: 2) { totalCount nodes { id customer { id } } } }`);
    expect(response.errors).toBeUndefined();
    expect(response.data).toEqual({
      salesOrders: { totalCount: 30, nodes: [{ id: 'SO-000001', customer: { id: 'C-0002' } }, { id: 'SO-000002', customer: { id: 'C-0003' } }] },
    });
  });

  it('rejects a taken port with EADDRINUSE', async () => {
    const blocker = await occupy();
    try {
      const backend = createMockErpBackend({ seed: SEED, scale: SCALE });
      const start = startErpSubgraph({ port: portOf(blocker), host: '127.0.0.1', backend, clock: frozenClock, logger: quiet });
      await expect(start).rejects.toMatchObject({ code: 'EADDRINUSE' });
    } finally {
      blocker.close();
    }
  });
});
