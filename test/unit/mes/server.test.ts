import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { RunningServer } from '../../../subgraphs/common/http-server';
import { main, StartupProblem } from '../../../subgraphs/mes/main';
import { startMesSubgraph } from '../../../subgraphs/mes/server';
import { atAnchor, DATASET } from './harness';

describe('MES subgraph over HTTP', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startMesSubgraph({ port: 0, host: '127.0.0.1', backend: createMockMesBackend(DATASET), clock: atAnchor });
  });
  afterAll(() => running.stop());

  it('answers /health with 200 JSON', async () => {
    const response = await fetch(`http://127.0.0.1:${running.port}/health`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    expect(await response.json()).toEqual({ status: 'ok', subgraph: 'mes' });
  });

  it('serves GraphQL at /graphql with a fresh context per request', async () => {
    const post = () =>
      fetch(`http://127.0.0.1:${running.port}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ workOrder(id: "WO-000048") { number } machine(id: "CUT-01") { oee { to } } }' }),
      }).then((response) => response.json());
    const [first, second] = await Promise.all([post(), post()]);
    expect(first).toEqual({ data: { workOrder: { number: 'WO-2026-00006' }, machine: { oee: { to: '2026-03-02T06:00:00.000Z' } } } });
    expect(second).toEqual(first);
  });
});

describe('MES process entry', () => {
  it('reports a taken port in one line naming MES_PORT', async () => {
    const blocker = http.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const { port } = blocker.address() as AddressInfo;
    try {
      const failure = main({ MES_PORT: String(port), HOST: '127.0.0.1', MOCK_SCALE: '20' });
      await expect(failure).rejects.toBeInstanceOf(StartupProblem);
      await expect(failure).rejects.toThrow(`port ${port} is already in use (set MES_PORT)`);
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('refuses an invalid port before listening', async () => {
    await expect(main({ MES_PORT: 'seventy' })).rejects.toThrow(/MES_PORT/);
  });
});
