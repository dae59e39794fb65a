import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createClient } from 'redis';
import { generateWorld } from '../../../mocks/dataset';
import { schemaFile } from '../../../schema/compose';
import { Service, startService } from '../../fixtures/stack';
import { subscribe, Subscriber } from '../../fixtures/subscriber';

/**
 * Scale-out through the shared Redis on 127.0.0.1:6379: two MES processes publish into the same streams (a
 * key prefix of this run's own), two gateways each talk to one of them, and every subscriber on either
 * gateway sees every event once, in one order. Then the MES is killed under a subscriber, and the supergraph
 * is reloaded under one: the streams go on.
 */
const SEED = 33;
const SCALE = 30;
const PREFIX = `forge-test:${process.pid}:${Date.now()}`;
const RECORD_STATE = `mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { state } }`;
const MACHINE_EVENTS = `subscription($after: ID) { machineStatusChanged(after: $after) { eventId state machine { id name } } }`;

describe('subscriptions across instances with Redis', () => {
  const world = generateWorld({ seed: SEED, scale: SCALE });
  const common = { MOCK_SEED: String(SEED), MOCK_SCALE: String(SCALE), REDIS_URL: 'redis://127.0.0.1:6379', EVENT_STREAM_PREFIX: PREFIX };
  const supergraphCopy = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'forge-supergraph-')), 'supergraph.graphql');
  let erp: Service;
  let mes: [Service, Service];
  let gateways: [Service, Service];
  const open: Subscriber[] = [];

  beforeAll(async () => {
    expect(world.mes.machines.length).toBeGreaterThanOrEqual(11);
    fs.copyFileSync(schemaFile('supergraph'), supergraphCopy);
    erp = await startService('erp', common);
    mes = await Promise.all([startService('mes', common), startService('mes', common)]);
    const gatewayEnv = (m: Service) => ({ ...common, SUBGRAPH_URL_ERP: erp.url, SUBGRAPH_URL_MES: m.url, SUPERGRAPH_PATH: supergraphCopy, SUPERGRAPH_POLL_MS: '100' });
    gateways = await Promise.all([startService('gateway', gatewayEnv(mes[0])), startService('gateway', gatewayEnv(mes[1]))]);
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
  });
  afterAll(async () => {
    await Promise.all([erp, ...(mes ?? []), ...(gateways ?? [])].filter(Boolean).map((s) => s.stop()));
    const redis = createClient({ url: 'redis://127.0.0.1:6379' });
    await redis.connect();
    const keys = await redis.keys(`${PREFIX}*`);
    if (keys.length > 0) await redis.del(keys);
    await redis.quit();
  });

  const track = (subscriber: Subscriber) => (open.push(subscriber), subscriber);
  const position = async () => (await gateways[0].query('{ eventStreamPosition { machineStatus } }')).data.eventStreamPosition.machineStatus as string;
  // Each mutation must be a real change: from RUNNING go IDLE, from anything else go RUNNING, alternating after.
  const lastState = new Map(world.mes.machines.map((m) => [m.id, m.state as string]));
  /** Toggles a machine `count` times through one gateway; returns the states in the order they were set. */
  async function toggle(via: Service, machineId: string, count: number): Promise<string[]> {
    const sent: string[] = [];
    for (let i = 0; i < count; i++) {
      const state = lastState.get(machineId) === 'RUNNING' ? 'IDLE' : 'RUNNING';
      const input = state === 'IDLE' ? { machineId, state, reasonCode: 'No work order', lossCategory: 'PLANNED' } : { machineId, state };
      const response = await via.query(RECORD_STATE, { input });
      expect(response.errors).toBeUndefined();
      lastState.set(machineId, state);
      sent.push(state);
    }
    return sent;
  }

  it('delivers 1,000 events published on two MES instances exactly once, in order, to subscribers on both gateways', async () => {
    const after = await position();
    const subscribers = gateways.map((g) => track(subscribe(g.url, MACHINE_EVENTS, { after })));
    const machines = world.mes.machines.slice(0, 8);
    // Each machine is driven through one MES (its own backend holds that machine's state); 8 × 125 = 1,000.
    const sent = await Promise.all(machines.map((m, i) => toggle(gateways[i % 2], m.id, 125)));

    const [first, second] = await Promise.all(subscribers.map((s) => s.waitFor(1000, 60_000)));
    const ids = (results: typeof first) => results.map((r) => r.data.machineStatusChanged.eventId as string);
    expect(new Set(ids(first)).size).toBe(1000);
    expect(ids(second)).toEqual(ids(first));
    const sorted = [...ids(first)].sort((a, b) => {
      const [am, as] = a.split('-').map(Number);
      const [bm, bs] = b.split('-').map(Number);
      return am - bm || as - bs;
    });
    expect(ids(first)).toEqual(sorted);
    machines.forEach((machine, i) => {
      const received = first.filter((r) => r.data.machineStatusChanged.machine.id === machine.id).map((r) => r.data.machineStatusChanged.state);
      expect(received).toEqual(sent[i]);
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(subscribers.map((s) => s.results.length)).toEqual([1000, 1000]);
  }, 120_000);

  it('resumes on another gateway after a cut: the 100 missed events once, in order, then live ones', async () => {
    const machine = world.mes.machines[8];
    // Subscribed on one gateway, resumed on the other; all writes through one MES, which holds this machine's state.
    const first = track(subscribe(gateways[0].url, MACHINE_EVENTS, { after: await position() }));
    await toggle(gateways[1], machine.id, 1);
    const [seen] = await first.waitFor(1);
    await first.close();

    const missed = await toggle(gateways[1], machine.id, 100);
    const resumed = track(subscribe(gateways[1].url, MACHINE_EVENTS, { after: seen.data.machineStatusChanged.eventId }));
    const replay = await resumed.waitFor(100);
    expect(replay.map((r) => r.data.machineStatusChanged.state)).toEqual(missed);
    expect(new Set(replay.map((r) => r.data.machineStatusChanged.eventId)).size).toBe(100);
    const [live] = await toggle(gateways[1], machine.id, 1);
    expect((await resumed.waitFor(101))[100].data.machineStatusChanged.state).toBe(live);
  }, 60_000);

  it('goes on without error or duplicate when the MES behind the gateway is killed and restarted', async () => {
    const subscriber = track(subscribe(gateways[0].url, MACHINE_EVENTS, { after: await position() }));
    const machine = world.mes.machines[9];
    await toggle(gateways[1], machine.id, 5);
    await subscriber.waitFor(5);

    mes[0].process.child.kill('SIGKILL');
    await mes[0].process.exited;
    await toggle(gateways[1], machine.id, 20); // published while the subscriber's MES is down
    await mes[0].restart();
    await toggle(gateways[1], machine.id, 20);

    const received = await subscriber.waitFor(45, 30_000);
    const ids = received.map((r) => r.data.machineStatusChanged.eventId);
    expect(new Set(ids).size).toBe(45);
    expect(received.every((r) => !r.errors)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(subscriber.results).toHaveLength(45);
    expect(subscriber.closeCode()).toBeNull();
    expect(gateways[0].process.stdout()).toContain('subscription upstream lost; resuming');
  }, 60_000);

  it('keeps a subscription open across a supergraph reload', async () => {
    const subscriber = track(subscribe(gateways[1].url, MACHINE_EVENTS, { after: await position() }));
    const machine = world.mes.machines[10];
    const before = await toggle(gateways[1], machine.id, 3);
    await subscriber.waitFor(3);

    fs.appendFileSync(supergraphCopy, `\n# reloaded at ${new Date().toISOString()}\n`);
    const deadline = Date.now() + 10_000;
    while (!gateways[1].process.stdout().includes('supergraph reloaded')) {
      if (Date.now() > deadline) throw new Error('the gateway did not reload the supergraph');
      await new Promise((r) => setTimeout(r, 100));
    }
    const after = await toggle(gateways[1], machine.id, 3);
    const received = await subscriber.waitFor(6);
    expect(received.map((r) => r.data.machineStatusChanged.state)).toEqual([...before, ...after]);
    expect(subscriber.closeCode()).toBeNull();
  }, 60_000);
});
