import { isSimulatedTransition } from '../../../mocks/simulator/machine-transitions';
import { startStack, type Stack } from '../../fixtures/stack';
import { subscribe, type Subscriber } from '../../fixtures/subscriber';
import { BROKER_URL, listen, uniqueGroup, type Listener } from './broker-fixtures';

/** SIMULATOR_TRANSPORT=mqtt: the simulator's state changes reach gateway subscribers only through the broker. */
describe('simulator over MQTT (Sparkplug edge node)', () => {
  const group = uniqueGroup('sim');
  let stack: Stack;
  let subscriber: Subscriber | undefined;
  let wire: Listener;

  beforeAll(async () => {
    // Listening on the group first, so the simulator's births and data are seen on the wire.
    wire = await listen(`spBv1.0/${group}/#`);
    stack = await startStack({
      seed: 3,
      scale: 20,
      env: {
        MQTT_URL: BROKER_URL,
        SPARKPLUG_GROUP: group,
        SIMULATOR_RATE: '25',
        SIMULATOR_TRANSPORT: 'mqtt',
        LOG_LEVEL: 'warn',
      },
    });
  });
  afterAll(async () => {
    await subscriber?.close();
    await stack?.stop();
    await wire?.close();
  });

  it('publishes Sparkplug births and data, and a gateway subscriber receives the resulting events', async () => {
    subscriber = subscribe(stack.gatewayUrl, `subscription { machineStatusChanged { eventId previousState state machine { id state } } }`);
    const received = await subscriber.waitFor(5, 30_000);
    for (const r of received) {
      expect(r.errors).toBeUndefined();
      const { previousState, state } = r.data.machineStatusChanged;
      expect(isSimulatedTransition(previousState, state)).toBe(true);
    }
    const types = new Set(wire.received.map((m) => m.topic.split('/')[2]));
    expect([...types]).toEqual(expect.arrayContaining(['NBIRTH', 'DBIRTH', 'DDATA']));
    // Every machine event came from a DDATA naming that machine (device id = machine id).
    const dataDevices = new Set(wire.received.filter((m) => m.topic.includes('/DDATA/')).map((m) => m.topic.split('/')[4]));
    for (const r of received) expect(dataDevices.has(r.data.machineStatusChanged.machine.id)).toBe(true);
  });
});
