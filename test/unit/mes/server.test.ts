import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import type { RunningServer } from '../../../subgraphs/common/http-server';
import { InMemoryEventBus } from '../../../subgraphs/mes/events/in-memory-event-bus';
import { startMesSubgraph } from '../../../subgraphs/mes/server';
import { atAnchor, DATASET } from './harness';

describe('MES subgraph over HTTP', () => {
  let running: RunningServer;
  beforeAll(async () => {
    running = await startMesSubgraph({ port: 0, host: '127.0.0.1', backend: createMockMesBackend(DATASET), clock: atAnchor, events: new InMemoryEventBus() });
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
