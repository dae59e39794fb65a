import { generateWorld } from '../../../mocks/dataset';
import { SparkplugEdgeNode } from '../../../mocks/simulator/sparkplug-edge-node';
import { startStack, type Stack } from '../../fixtures/stack';
import { subscribe, type Subscriber } from '../../fixtures/subscriber';
import { BROKER_URL, uniqueGroup, waitUntil } from './broker-fixtures';

/**
 * The whole path with real processes: a Sparkplug edge node (this test) → Mosquitto → MES telemetry ingest →
 * event bus → gateway subscription (graphql-ws), and the gateway's `machine { state }` query agrees.
 */
const SEED = 11;
const SCALE = 20;
const POSITION = '{ eventStreamPosition { machineStatus } }';

describe('Sparkplug telemetry end to end through the gateway', () => {
  const group = uniqueGroup('e2e');
  const world = generateWorld({ seed: SEED, scale: SCALE });
  const machine = world.mes.machines.find((m) => m.state === 'RUNNING')!;
  let stack: Stack;
  let node: SparkplugEdgeNode | undefined;
  let subscriber: Subscriber | undefined;

  beforeAll(async () => {
    stack = await startStack({
      seed: SEED,
      scale: SCALE,
      env: { SIMULATOR_RATE: '0', MQTT_URL: BROKER_URL, SPARKPLUG_GROUP: group, LOG_LEVEL: 'warn' },
    });
  });
  afterAll(async () => {
    await subscriber?.close();
    await node?.stop();
    await stack?.stop();
  });

  const gatewayState = async () => (await stack.query(`query($id: ID!) { machine(id: $id) { state reasonCode } }`, { id: machine.id })).data?.machine;

  it('delivers machineStatusChanged for DDATA state changes and OFFLINE after a DDEATH', async () => {
    const after = (await stack.query(POSITION)).data.eventStreamPosition.machineStatus as string;
    subscriber = subscribe(
      stack.gatewayUrl,
      `subscription($m: [ID!], $after: ID) {
        machineStatusChanged(machineIds: $m, after: $after) { eventId previousState state reasonCode machine { id state } }
      }`,
      { m: [machine.id], after },
    );
    node = await SparkplugEdgeNode.start({ url: BROKER_URL, group, edgeNode: 'line-7', devices: [machine] });

    await node.setState(machine.id, 'DOWN', 'Malfunction', 'AVAILABILITY');
    await waitUntil(async () => (await gatewayState())?.state === 'DOWN');
    await node.setState(machine.id, 'RUNNING', null, null);
    await waitUntil(async () => (await gatewayState())?.state === 'RUNNING');
    await node.deviceDeath(machine.id);

    const received = await subscriber.waitFor(3);
    const events = received.map((r) => {
      expect(r.errors).toBeUndefined();
      const { previousState, state, reasonCode, machine: m } = r.data.machineStatusChanged;
      return { previousState, state, reasonCode, id: m.id };
    });
    expect(events).toEqual([
      { previousState: 'RUNNING', state: 'DOWN', reasonCode: 'Malfunction', id: machine.id },
      { previousState: 'DOWN', state: 'RUNNING', reasonCode: null, id: machine.id },
      { previousState: 'RUNNING', state: 'OFFLINE', reasonCode: null, id: machine.id },
    ]);
    expect(await gatewayState()).toEqual({ state: 'OFFLINE', reasonCode: null });
  });
});
