import net from 'node:net';
import type { LimitsConfig } from '../../gateway/limits/config';
import { startGateway, type RunningGateway } from '../../gateway/server';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { loadOperation } from '../../schema/operations';
import { schemaFile } from '../../schema/compose';
import { systemClock } from '../../subgraphs/common/clock';
import type { RunningServer } from '../../subgraphs/common/http-server';
import { startErpSubgraph } from '../../subgraphs/erp/server';
import { InMemoryEventBus } from '../../subgraphs/mes/events/in-memory-event-bus';
import { startMesSubgraph } from '../../subgraphs/mes/server';
import { freePort } from '../fixtures/free-port';
import { postGraphQL } from '../fixtures/graphql-client';

/**
 * The entity cache against the truth: one gateway with the cache, one without (the oracle), on the same
 * subgraphs. Writes go straight to the MES as well as through the gateway; whatever the cache serves must be
 * what the oracle serves once the writes' events have arrived.
 */
describe('entity cache', () => {
  const erpBackend = createMockErpBackend({ seed: 23, scale: 400 });
  const mesBackend = createMockMesBackend({ seed: 23, scale: 400 });
  const events = new InMemoryEventBus();
  let erp: RunningServer;
  let mes: RunningServer;
  let mesPort: number;
  let cached: RunningGateway;
  let oracle: RunningGateway;
  const mesFetches = { cached: 0 };
  const interruptions: unknown[] = [];

  const startMes = () => startMesSubgraph({ port: mesPort, host: '127.0.0.1', backend: mesBackend, clock: systemClock, events });

  beforeAll(async () => {
    mesPort = await freePort();
    [erp, mes] = await Promise.all([startErpSubgraph({ port: 0, host: '127.0.0.1', backend: erpBackend, clock: systemClock }), startMes()]);
    // No rate limit: the race below reads and writes as fast as the gateways answer.
    // Every other limit keeps its default (setupLimits fills in what is not given).
    const limits = { rateLimit: { perMinute: 0, burst: 0, keyPrefix: 'entity-cache-test' } } as Partial<LimitsConfig> as LimitsConfig;
    const common = { host: '127.0.0.1', supergraphPath: schemaFile('supergraph'), urlOverrides: { erp: erp.url, mes: mes.url }, limits };
    [cached, oracle] = await Promise.all([
      startGateway({
        ...common,
        port: 0,
        entityCache: { ttlMs: 600_000, maxEntities: 10_000 },
        onSubgraphFetch: (name) => name === 'mes' && (mesFetches.cached += 1),
        onCacheInterrupted: (reason) => interruptions.push(reason),
      }),
      startGateway({ ...common, port: 0 }),
    ]);
    await waitFor(() => cached.entityCache!.isLive, 'the cache to go live');
  });
  afterAll(async () => {
    await Promise.all([cached?.stop(), oracle?.stop()]);
    await Promise.all([erp?.stop(), mes?.stop()]);
  });

  const bi = (gateway: RunningGateway, first = 400) => postGraphQL(gateway.url, loadOperation('bi'), { first });

  async function expectSameAsOracle(first = 400) {
    const [mine, truth] = await Promise.all([bi(cached, first), bi(oracle, first)]);
    expect(mine.errors).toBeUndefined();
    expect(mine).toEqual(truth);
  }

  /** Work orders that still take production reports, of the first `first` orders of the bi page. */
  async function activeWorkOrders(first: number): Promise<{ id: string; salesOrderId: string }[]> {
    const response = await postGraphQL(oracle.url, `query($first: Int!) { salesOrders(first: $first) { nodes { id workOrders { id status } } } }`, { first });
    const nodes = (response.data as { salesOrders: { nodes: { id: string; workOrders: { id: string; status: string }[] }[] } }).salesOrders.nodes;
    return nodes.flatMap((order) =>
      order.workOrders.filter((wo) => ['RELEASED', 'RUNNING', 'PAUSED'].includes(wo.status)).map((wo) => ({ id: wo.id, salesOrderId: order.id })),
    );
  }

  let reports = 0;
  const REPORT = `mutation($id: ID!, $key: String!) { reportProduction(workOrderId: $id, good: 1, scrap: 0, idempotencyKey: $key) { duplicate } }`;
  const report = (url: string, workOrderId: string) => postGraphQL(url, REPORT, { id: workOrderId, key: `entity-cache-${process.pid}-${++reports}` });

  const progressOf = async (gateway: RunningGateway, salesOrderId: string) => {
    const response = await bi(gateway);
    const node = (response.data as any).salesOrders.nodes.find((n: { id: string }) => n.id === salesOrderId);
    return node.productionProgress as { quantityGood: number };
  };

  it('answers a warm bi page without asking the MES, with the data the uncached gateway gives', async () => {
    await bi(cached); // planned by Apollo's executor
    await bi(cached); // forge's executor: fills the cache
    const before = mesFetches.cached;
    await expectSameAsOracle();
    expect(mesFetches.cached).toBe(before);
    expect(cached.entityCache!.stats().hits).toBeGreaterThanOrEqual(400);
  });

  it('serves fresh progress after a write made straight on the MES, once its event has arrived', async () => {
    await bi(cached);
    const [workOrder] = await activeWorkOrders(400);
    const before = await progressOf(cached, workOrder!.salesOrderId);
    const invalidations = cached.entityCache!.stats().invalidations;
    const written = await report(mes.url, workOrder!.id);
    expect(written.errors).toBeUndefined();
    await waitFor(() => cached.entityCache!.stats().invalidations > invalidations, 'the write to be invalidated');
    expect((await progressOf(cached, workOrder!.salesOrderId)).quantityGood).toBe(before.quantityGood + 1);
    await expectSameAsOracle();
  });

  it('a write through the gateway is read back at once, without waiting for its event', async () => {
    await bi(cached);
    const [workOrder] = await activeWorkOrders(400);
    const before = await progressOf(cached, workOrder!.salesOrderId);
    const clears = cached.entityCache!.stats().clears;
    expect((await report(cached.url, workOrder!.id)).errors).toBeUndefined();
    expect(cached.entityCache!.stats().clears).toBe(clears + 1);
    expect((await progressOf(cached, workOrder!.salesOrderId)).quantityGood).toBe(before.quantityGood + 1);
  });

  it('never keeps an answer computed before a write whose event arrived while the answer was on its way', async () => {
    await bi(cached);
    await bi(cached);
    const [workOrder] = await activeWorkOrders(400);
    const dataSource = (cached.gateway as unknown as { serviceMap: Record<string, { dataSource: { process: (...args: unknown[]) => Promise<unknown> } }> }).serviceMap.mes!.dataSource;
    const invalidated = async (url: string) => {
      const invalidations = cached.entityCache!.stats().invalidations;
      expect((await report(url, workOrder!.id)).errors).toBeUndefined();
      await waitFor(() => cached.entityCache!.stats().invalidations > invalidations, 'the write to be invalidated');
    };
    await invalidated(mes.url); // the next page fetches this order again

    // The MES answers at once; the answer is held back until a second write's event has reached the gateway.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let answered!: () => void;
    const heldAnswer = new Promise<void>((resolve) => (answered = resolve));
    const process = dataSource.process;
    dataSource.process = async (...args: unknown[]) => {
      const answer = await process.apply(dataSource, args);
      answered();
      await released;
      return answer;
    };
    try {
      const page = bi(cached);
      await heldAnswer;
      await invalidated(mes.url);
      release();
      expect((await page).errors).toBeUndefined();
    } finally {
      dataSource.process = process;
    }
    await expectSameAsOracle();
    expect(cached.entityCache!.stats().discarded).toBeGreaterThan(0);
  });

  it('keeps nothing stale when writes land while pages are being fetched', async () => {
    const first = 400;
    const targets = (await activeWorkOrders(first)).slice(0, 6);
    expect(targets.length).toBeGreaterThan(2);
    const until = Date.now() + 2_500;
    const writer = async () => {
      while (Date.now() < until) await report(mes.url, targets[Math.floor(Math.random() * targets.length)]!.id);
    };
    const reader = async () => {
      while (Date.now() < until) expect((await bi(cached, first)).errors).toBeUndefined();
    };
    await Promise.all([writer(), writer(), reader(), reader(), reader()]);
    // Every write's event has arrived once two reads agree with the oracle in a row; a stale entry never would.
    await waitFor(async () => {
      const [mine, truth] = await Promise.all([bi(cached, first), bi(oracle, first)]);
      return JSON.stringify(mine) === JSON.stringify(truth);
    }, 'the cached page to match the uncached one');
    await expectSameAsOracle(first);
    expect(cached.entityCache!.stats().hits).toBeGreaterThan(0);
  });

  it('goes dark while its event stream is down, and comes back with it', async () => {
    await bi(cached);
    expect(cached.entityCache!.stats().entities).toBeGreaterThan(0);
    await mes.stop();
    await waitFor(() => !cached.entityCache!.isLive, 'the cache to go dark');
    expect(cached.entityCache!.stats().entities).toBe(0);
    expect(interruptions.length).toBeGreaterThan(0);

    mes = await startMes();
    await waitFor(() => cached.entityCache!.isLive, 'the cache to come back', 20_000);
    await bi(cached);
    const before = mesFetches.cached;
    await expectSameAsOracle();
    expect(mesFetches.cached).toBe(before);
  }, 40_000);
});

async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('entity cache of a gateway that fails to start', () => {
  it('stops its event stream with it', async () => {
    const blocker = await new Promise<net.Server>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => resolve(server));
    });
    const port = (blocker.address() as net.AddressInfo).port;
    let interruptions = 0;
    try {
      const failed = await startGateway({
        port,
        host: '127.0.0.1',
        supergraphPath: schemaFile('supergraph'),
        // Nothing listens there: the stream keeps failing, and retrying, for as long as it runs.
        urlOverrides: { erp: 'http://127.0.0.1:1/graphql', mes: 'http://127.0.0.1:1/graphql' },
        entityCache: { ttlMs: 60_000, maxEntities: 100 },
        onCacheInterrupted: () => (interruptions += 1),
      }).catch((error: unknown) => error);
      expect(String((failed as { code?: string }).code ?? failed)).toMatch(/EADDRINUSE/);
      const after = interruptions;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      expect(interruptions).toBe(after);
    } finally {
      blocker.close();
    }
  });
});
