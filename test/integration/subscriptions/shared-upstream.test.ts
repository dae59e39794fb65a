import http from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import { generateWorld } from '../../../mocks/dataset';
import { Service, startService } from '../../fixtures/stack';
import { subscribe, Subscriber } from '../../fixtures/subscriber';

/**
 * 200 subscribers with one selection on one gateway: the MES sees one upstream subscription (counted by a
 * proxy in front of it), every subscriber receives every event in order, and the upstream subscription is
 * completed once they have all left.
 */
const SEED = 52;
const SCALE = 20;
const SUBSCRIBERS = 200;
const EVENTS = 20;
const QUERY = 'subscription { machineStatusChanged { eventId state machine { id name } } }';
const RECORD_STATE = 'mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { state } }';

/** HTTP passes through; graphql-ws messages are relayed and the gateway's `subscribe` / `complete` counted. */
async function countingProxy(target: string) {
  const counts = { subscribe: 0, complete: 0 };
  const upstream = new URL(target);
  const server = http.createServer((req, res) => {
    const forward = http.request({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (client, req) => {
    const mes = new WebSocket(target.replace(/^http/, 'ws'), client.protocol, { headers: { 'x-forwarded-for': String(req.socket.remoteAddress) } });
    const queued: WebSocket.RawData[] = [];
    mes.on('open', () => queued.splice(0).forEach((m) => mes.send(m.toString())));
    mes.on('message', (data) => client.send(data.toString()));
    mes.on('close', (code) => client.close(code === 1005 ? 1000 : code));
    client.on('close', () => mes.close());
    client.on('message', (data) => {
      const type = (JSON.parse(data.toString()) as { type: string }).type;
      if (type === 'subscribe') counts.subscribe += 1;
      if (type === 'complete') counts.complete += 1;
      if (mes.readyState === WebSocket.OPEN) mes.send(data.toString());
      else queued.push(data);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, resolve));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}/graphql`,
    counts,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => server.close(() => resolve())));
    },
  };
}

describe('shared upstream subscriptions', () => {
  const world = generateWorld({ seed: SEED, scale: SCALE });
  const common = { MOCK_SEED: String(SEED), MOCK_SCALE: String(SCALE), SIMULATOR_RATE: '0' };
  let erp: Service;
  let mes: Service;
  let gateway: Service;
  let proxy: Awaited<ReturnType<typeof countingProxy>>;
  const open: Subscriber[] = [];

  beforeAll(async () => {
    erp = await startService('erp', common);
    mes = await startService('mes', { ...common, ERP_SUBGRAPH_URL: erp.url });
    proxy = await countingProxy(mes.url);
    // Without the entity cache: its own stream of production events is not what this test counts.
    gateway = await startService('gateway', { ...common, SUBGRAPH_URL_ERP: erp.url, SUBGRAPH_URL_MES: proxy.url, ENTITY_CACHE_TTL_MS: '0' });
  });
  afterAll(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await Promise.all([gateway, mes, erp].filter(Boolean).map((s) => s.stop()));
    await proxy?.close();
  });

  const machine = world.mes.machines[0]!;
  let state = machine.state as string;
  const toggle = async () => {
    state = state === 'RUNNING' ? 'IDLE' : 'RUNNING';
    const input = state === 'IDLE' ? { machineId: machine.id, state, reasonCode: 'No work order', lossCategory: 'PLANNED' } : { machineId: machine.id, state };
    const response = await gateway.query(RECORD_STATE, { input });
    expect(response.errors).toBeUndefined();
    return state;
  };

  it(`${SUBSCRIBERS} identical subscribers cause one upstream subscription at the MES and all receive every event`, async () => {
    for (let i = 0; i < SUBSCRIBERS; i++) open.push(subscribe(gateway.url, QUERY));
    // Subscriptions start asynchronously: publish until every subscriber has seen a first event.
    let warmups = 0;
    const deadline = Date.now() + 20_000;
    while (open.some((s) => s.results.length === 0)) {
      if (Date.now() > deadline) throw new Error('subscribers did not start');
      await toggle();
      warmups += 1;
      await new Promise((r) => setTimeout(r, 200));
    }
    const marks = open.map((s) => s.results.length);

    const sent: string[] = [];
    for (let i = 0; i < EVENTS; i++) sent.push(await toggle());
    const received = await Promise.all(open.map((s, i) => s.waitFor(marks[i]! + EVENTS, 30_000)));
    received.forEach((results, i) => {
      const events = results.slice(marks[i]).map((r) => r.data.machineStatusChanged);
      expect(events.map((e: { state: string }) => e.state)).toEqual(sent);
      expect(new Set(events.map((e: { eventId: string }) => e.eventId)).size).toBe(EVENTS);
    });
    expect(warmups).toBeGreaterThan(0);
    expect(proxy.counts.subscribe).toBe(1);

    await Promise.all(open.splice(0).map((s) => s.close()));
    const until = Date.now() + 10_000;
    while (proxy.counts.complete < 1 && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(proxy.counts.complete).toBe(1);
  }, 90_000);
});
