import WebSocket from 'ws';
import { generateWorld } from '../../../mocks/dataset';
import { Stack, startStack } from '../../fixtures/stack';
import { subscribe } from '../../fixtures/subscriber';
import { until } from '../auth/tokens';

/**
 * A subscriber that stops reading is closed with the documented code once its bounded buffer fills, while a
 * fast subscriber on the same gateway receives every event.
 */
const SEED = 44;
const SCALE = 30;
const BUFFER = 50;
const EVENTS = 1200;
const SLOW_CONSUMER = 4801;

describe('slow consumers', () => {
  const world = generateWorld({ seed: SEED, scale: SCALE });
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ seed: SEED, scale: SCALE, env: { SIMULATOR_RATE: '0', SUBSCRIPTION_BUFFER: String(BUFFER) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it(`closes a subscriber that stops reading with ${SLOW_CONSUMER}; a fast one on the same gateway receives every event`, async () => {
    const after = (await stack.query('{ eventStreamPosition { machineStatus } }')).data.eventStreamPosition.machineStatus;
    const fast = subscribe(stack.gatewayUrl, `subscription($after: ID) { machineStatusChanged(after: $after) { eventId state machine { id } } }`, { after });
    // Large events fill the socket buffers quickly once the client stops reading.
    const slow = rawSubscriber(
      stack.gatewayUrl,
      `subscription($after: ID) { machineStatusChanged(after: $after) {
        eventId machine { id name stateHistory { state reasonCode from to durationSeconds }
          workOrders { id number status quantityPlanned quantityGood operations { sequence name workCenter status startedAt endedAt } } } } }`,
      { after },
    );
    await slow.subscribed;
    slow.pauseReading();

    // Reading again as soon as the gateway reports the close: a client that keeps not reading for longer than
    // the WebSocket close handshake allows (ws: 30 s) has its connection cut (1006) instead, which a slow
    // machine could otherwise turn into this test's outcome.
    const gatewayLogs = stack.services.gateway.process;
    const reported = until(() => gatewayLogs.stdout().includes('slow consumer'), 90_000).then(() => slow.resumeReading());
    reported.catch(() => undefined); // awaited below

    const machines = world.mes.machines.slice(0, 8);
    const lastState = new Map(machines.map((m) => [m.id, m.state as string]));
    const sent = new Map<string, string[]>(machines.map((m) => [m.id, []]));
    const perMachine = EVENTS / machines.length;
    await Promise.all(
      machines.map(async (machine) => {
        for (let i = 0; i < perMachine; i++) {
          const state = lastState.get(machine.id) === 'RUNNING' ? 'IDLE' : 'RUNNING';
          const input = state === 'IDLE' ? { machineId: machine.id, state, reasonCode: 'No work order', lossCategory: 'PLANNED' } : { machineId: machine.id, state };
          const response = await stack.query(`mutation($input: RecordMachineStateInput!) { recordMachineState(input: $input) { id } }`, { input });
          expect(response.errors).toBeUndefined();
          lastState.set(machine.id, state);
          sent.get(machine.id)!.push(state);
        }
      }),
    );

    const received = await fast.waitFor(EVENTS, 60_000);
    expect(new Set(received.map((r) => r.data.machineStatusChanged.eventId)).size).toBe(EVENTS);
    for (const machine of machines) {
      const states = received.filter((r) => r.data.machineStatusChanged.machine.id === machine.id).map((r) => r.data.machineStatusChanged.state);
      expect(states).toEqual(sent.get(machine.id));
    }
    expect(fast.closeCode()).toBeNull();

    await reported;
    const closed = await slow.closed;
    expect(closed.code).toBe(SLOW_CONSUMER);
    expect(closed.reason).toMatch(/slow consumer; resume with after: /);
    expect(slow.nextCount()).toBeLessThan(EVENTS);
    await fast.close();
  }, 120_000);

  // Last: it stops the gateway.
  it('closes open subscriptions with 4802 when the gateway shuts down, so clients resume elsewhere', async () => {
    const subscriber = subscribe(stack.gatewayUrl, 'subscription { machineStatusChanged { eventId } }');
    await new Promise((r) => setTimeout(r, 300));
    await stack.services.gateway.stop();
    await subscriber.ended;
    expect(subscriber.closeCode()).toBe(4802);
  });
});

/** A graphql-ws peer written by hand, so that the test can stop reading the socket. */
function rawSubscriber(url: string, query: string, variables: Record<string, unknown>) {
  const ws = new WebSocket(url.replace(/^http/, 'ws'), 'graphql-transport-ws');
  let nexts = 0;
  const subscribed = new Promise<void>((resolve, reject) => {
    ws.once('error', reject);
    ws.on('open', () => ws.send(JSON.stringify({ type: 'connection_init' })));
    ws.on('message', (data) => {
      const message = JSON.parse(String(data)) as { type: string };
      if (message.type === 'connection_ack') {
        ws.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query, variables } }));
        resolve();
      } else if (message.type === 'next') {
        nexts += 1;
      }
    });
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  const socket = () => (ws as unknown as { _socket: import('node:net').Socket })._socket;
  return {
    subscribed,
    closed,
    nextCount: () => nexts,
    pauseReading: () => socket().pause(),
    resumeReading: () => socket().resume(),
  };
}
