import { startGateway } from '../../gateway/server';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { loadOperation } from '../../schema/operations';
import { systemClock } from '../../subgraphs/common/clock';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { startErpSubgraph } from '../../subgraphs/erp/server';
import { InMemoryEventBus } from '../../subgraphs/mes/events/in-memory-event-bus';
import { startMesSubgraph } from '../../subgraphs/mes/server';
import { postGraphQL } from '../fixtures/graphql-client';

/** Besides the committed supergraph, the gateway can compose at start from a list of running subgraphs. */
describe('gateway composing from subgraph URLs (SUBGRAPHS)', () => {
  let subgraphs: RunningServer[];
  let gateway: RunningServer;

  beforeAll(async () => {
    subgraphs = await Promise.all([
      startErpSubgraph({ port: 0, host: '127.0.0.1', backend: createMockErpBackend({ seed: 5, scale: 12 }), clock: systemClock }),
      startMesSubgraph({ port: 0, host: '127.0.0.1', backend: createMockMesBackend({ seed: 5, scale: 12 }), clock: systemClock, events: new InMemoryEventBus() }),
    ]);
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphPath: '/nonexistent/supergraph.graphql', // must not be read in this mode
      subgraphs: { erp: subgraphs[0].url, mes: subgraphs[1].url },
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(subgraphs.map((s) => s.stop()));
  });

  it('serves operations that join both subgraphs', async () => {
    const response = await postGraphQL(gateway.url, loadOperation('bi'), { first: 12 });
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrders.totalCount).toBe(12);
    expect(response.data.salesOrders.nodes.every((n: any) => n.customer.name && n.productionProgress)).toBe(true);
  });

  it('refuses to start on a supergraph file that is missing, saying what to run', async () => {
    await expect(startGateway({ port: 0, supergraphPath: '/nonexistent/supergraph.graphql' })).rejects.toThrow(/npm run compose/);
  });
});
