import { startGateway, RunningGateway } from '../../gateway/server';
import { countCalls } from '../../mocks/counting-backend';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { loadOperation } from '../../schema/operations';
import { schemaFile } from '../../schema/compose';
import { systemClock } from '../../subgraphs/common/clock';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { startErpSubgraph } from '../../subgraphs/erp/server';
import { InMemoryEventBus } from '../../subgraphs/mes/events/in-memory-event-bus';
import { startMesSubgraph } from '../../subgraphs/mes/server';
import { postGraphQL } from '../fixtures/graphql-client';

/**
 * DESIGN §4: the bi operation must cost a constant number of subgraph fetches and backend calls, whatever the
 * page size. Real HTTP between gateway and subgraphs; the backends are wrapped to count every call.
 */
describe('bi operation batching', () => {
  const erp = countCalls(createMockErpBackend({ seed: 11, scale: 600 }));
  const mes = countCalls(createMockMesBackend({ seed: 11, scale: 600 }));
  const fetches: Record<string, number> = {};
  let servers: RunningServer[] = [];
  let gateway: RunningGateway;

  beforeAll(async () => {
    servers = await Promise.all([
      startErpSubgraph({ port: 0, host: '127.0.0.1', backend: erp.backend, clock: systemClock }),
      startMesSubgraph({ port: 0, host: '127.0.0.1', backend: mes.backend, clock: systemClock, events: new InMemoryEventBus() }),
    ]);
    gateway = await startGateway({
      port: 0,
      host: '127.0.0.1',
      supergraphPath: schemaFile('supergraph'),
      urlOverrides: { erp: servers[0].url, mes: servers[1].url },
      onSubgraphFetch: (name) => (fetches[name] = (fetches[name] ?? 0) + 1),
    });
  });
  afterAll(async () => {
    await gateway?.stop();
    await Promise.all(servers.map((s) => s.stop()));
  });

  async function measure(first: number) {
    erp.reset();
    mes.reset();
    for (const key of Object.keys(fetches)) delete fetches[key];
    const response = await postGraphQL(gateway.url, loadOperation('bi'), { first });
    expect(response.errors).toBeUndefined();
    expect(response.data.salesOrders.nodes).toHaveLength(first);
    expect(response.data.salesOrders.nodes.every((n: any) => n.customer.name && n.productionProgress)).toBe(true);
    return { erpCalls: erp.calls(), mesCalls: mes.calls(), fetches: { ...fetches } };
  }

  it('costs the same subgraph fetches and backend calls for 50 and for 500 orders', async () => {
    const small = await measure(50);
    const large = await measure(500);
    expect(large).toEqual(small);
    // And the constant is small: one fetch per subgraph, a handful of backend calls.
    expect(small.fetches).toEqual({ erp: 1, mes: 1 });
    const total = (calls: Record<string, number>) => Object.values(calls).reduce((a, b) => a + b, 0);
    expect(total(small.erpCalls) + total(small.mesCalls)).toBeLessThanOrEqual(4);
  });
});
