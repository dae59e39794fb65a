import { scenarios } from '../../bench/scenarios';
import { startGateway, RunningGateway } from '../../gateway/server';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { schemaFile } from '../../schema/compose';
import { systemClock } from '../../subgraphs/common/clock';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { startErpSubgraph } from '../../subgraphs/erp/server';
import { InMemoryEventBus } from '../../subgraphs/mes/events/in-memory-event-bus';
import { startMesSubgraph } from '../../subgraphs/mes/server';

/**
 * forge's executor (gateway/execution/) against @apollo/gateway's own, on the same subgraphs: every response —
 * data, errors with their paths and codes, partial results — must be the same, byte for byte once stack traces
 * (which name different functions) are left out. Each operation is sent twice: the first request is planned and
 * run by Apollo's executor, the second by forge's.
 */
const SEED = 5;
const SCALE = 300;

/** `planned: false`: refused before planning (forge's executor checks variables, then hands over no plan). */
const CORPUS: { name: string; query: string; variables?: Record<string, unknown>; operationName?: string; planned?: boolean }[] = [
  {
    name: 'aliases and named fragments across both subgraphs',
    query: `query { a: salesOrders(first: 4) { nodes { ...O } } b: salesOrders(first: 2, after: null) { totalCount pageInfo { hasNextPage } } }
      fragment O on SalesOrder { id n: number __typename kind: __typename customer { __typename name } productionProgress { percentComplete p: quantityPlanned } }`,
  },
  {
    name: 'inline fragments and repeated fields',
    query: `{ salesOrders(first: 3) { nodes { id ... on SalesOrder { status lines { lineNo } } lines { quantity product { sku workInProgress } } } } }`,
  },
  {
    name: '@skip and @include with variables and defaults',
    query: `query($withLines: Boolean!, $noMes: Boolean = true) { salesOrders(first: 3) { nodes { id lines @include(if: $withLines) { lineNo }
      productionProgress @skip(if: $noMes) { quantityGood } workOrders @include(if: $noMes) { number } } } }`,
    variables: { withLines: true },
  },
  {
    name: 'an unknown id answers null',
    query: `query($id: ID!) { salesOrder(id: $id) { id workOrders { id } } }`,
    variables: { id: 'no-such-order' },
  },
  {
    name: 'a subgraph refusing an argument',
    query: `{ salesOrders(first: -1) { nodes { id } } }`,
  },
  {
    name: 'a variable of the wrong type',
    planned: false,
    query: `query($first: Int!) { salesOrders(first: $first) { nodes { id } } }`,
    variables: { first: 'many' },
  },
  {
    name: 'a mutation refused by the subgraph',
    query: `mutation($input: CreateSalesOrderInput!) { createSalesOrder(input: $input) { id } }`,
    variables: { input: { customerId: 'nobody', currency: 'EUR', dueDate: '2026-12-01T00:00:00Z', lines: [{ sku: 'NOPE', quantity: 0 }], idempotencyKey: 'k-1' } },
  },
  {
    name: 'one of several operations, by name',
    query: `query A { __typename } query B { machines(first: 2) { nodes { id state oee { oee } } } }`,
    operationName: 'B',
  },
];

describe('forge executor equals Apollo executor', () => {
  let servers: RunningServer[] = [];
  const stopped = new Set<RunningServer>();
  const fetches = { forge: {} as Record<string, number>, apollo: {} as Record<string, number> };
  let forge: RunningGateway;
  let apollo: RunningGateway;
  const requests = scenarios(SEED, SCALE).map((s) => ({ name: s.name, ...s.gateway }));

  beforeAll(async () => {
    servers = await Promise.all([
      startErpSubgraph({ port: 0, host: '127.0.0.1', backend: createMockErpBackend({ seed: SEED, scale: SCALE }), clock: systemClock }),
      startMesSubgraph({ port: 0, host: '127.0.0.1', backend: createMockMesBackend({ seed: SEED, scale: SCALE }), clock: systemClock, events: new InMemoryEventBus() }),
    ]);
    const common = { host: '127.0.0.1', supergraphPath: schemaFile('supergraph'), urlOverrides: { erp: servers[0]!.url, mes: servers[1]!.url } };
    const count = (into: Record<string, number>) => (name: string) => (into[name] = (into[name] ?? 0) + 1);
    [forge, apollo] = await Promise.all([
      startGateway({ ...common, port: 0, executor: 'forge', onSubgraphFetch: count(fetches.forge) }),
      startGateway({ ...common, port: 0, executor: 'apollo', onSubgraphFetch: count(fetches.apollo) }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([forge?.stop(), apollo?.stop()]);
    await Promise.all(servers.filter((s) => !stopped.has(s)).map((s) => s.stop()));
  });

  async function post(url: string, body: object): Promise<string> {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as { errors?: { extensions?: Record<string, unknown> }[] };
    for (const error of json.errors ?? []) delete error.extensions?.stacktrace;
    return `${res.status} ${JSON.stringify(json)}`;
  }

  async function compare(request: { query: string; variables?: Record<string, unknown>; operationName?: string }): Promise<string> {
    const body = { query: request.query, variables: request.variables, operationName: request.operationName };
    const expected = await post(apollo.url, body);
    const first = await post(forge.url, body);
    const second = await post(forge.url, body);
    expect(first).toBe(expected);
    expect(second).toBe(expected);
    return expected;
  }

  it.each([...requests.map((r) => [r.name, r] as const), ...CORPUS.map((c) => [c.name, c] as const)])('%s', async (_name, request) => {
    const before = forge.gateway.executions.forge;
    const answer = await compare(request);
    expect(answer.length).toBeGreaterThan(20);
    // A planned operation's repeat ran on forge's executor, not on Apollo's.
    if ((request as { planned?: boolean }).planned !== false) expect(forge.gateway.executions.forge).toBe(before + 1);
    else expect(forge.gateway.executions.forge).toBe(before);
  });

  it('sends the parallel MES fetches of portal (order, products) as one request', async () => {
    const portal = requests.find((r) => r.name === 'portal')!;
    await compare(portal); // planned and cached
    for (const side of [fetches.forge, fetches.apollo]) for (const key of Object.keys(side)) delete side[key];
    await post(forge.url, portal);
    await post(apollo.url, portal);
    expect(fetches.apollo).toEqual({ erp: 1, mes: 2 });
    expect(fetches.forge).toEqual({ erp: 1, mes: 1 });
  });

  it('with the MES down, both give the same partial data and SUBGRAPH_UNAVAILABLE paths', async () => {
    await servers[1]!.stop();
    stopped.add(servers[1]!);
    for (const request of requests) {
      const answer = await compare(request);
      expect(answer).toContain('SUBGRAPH_UNAVAILABLE');
    }
  });
});
