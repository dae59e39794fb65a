import { createMockMesBackend, type InMemoryMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { DEFAULT_ANCHOR } from '../../../mocks/dataset/world';
import { SparkplugEdgeNode } from '../../../mocks/simulator/sparkplug-edge-node';
import { anchoredClock } from '../../../subgraphs/common/clock';
import type { RunningServer } from '../../../subgraphs/common/http-server';
import type { MachineRecord } from '../../../subgraphs/mes/backend/mes-backend';
import { startMesSubgraph } from '../../../subgraphs/mes/server';
import { encodePayload } from '../../../subgraphs/mes/telemetry/sparkplug-codec';
import { startMqttTelemetry, type MqttTelemetry } from '../../../subgraphs/mes/telemetry/mqtt-telemetry';
import { freePort } from '../../fixtures/free-port';
import { postGraphQL } from '../../fixtures/graphql-client';
import { RecordingEventBus } from '../../unit/simulator/simulator-fixtures';
import { BROKER_URL, listen, uniqueGroup, waitUntil } from './broker-fixtures';

/** The MES in this process, ingesting from the real broker: what a device publishes is what GraphQL answers. */
describe('Sparkplug B ingest over a real broker', () => {
  const group = uniqueGroup('ingest');
  let backend: InMemoryMesBackend;
  let events: RecordingEventBus;
  let server: RunningServer;
  let telemetry: MqttTelemetry;
  let machine: MachineRecord;
  const stops: (() => Promise<unknown>)[] = [];

  const stateOf = async (id: string) =>
    (await postGraphQL(server.url, `query($id: ID!) { machine(id: $id) { state reasonCode } }`, { id })).data?.machine;

  beforeAll(async () => {
    backend = createMockMesBackend({ seed: 5, scale: 20, anchor: DEFAULT_ANCHOR });
    events = new RecordingEventBus();
    const clock = anchoredClock(DEFAULT_ANCHOR);
    server = await startMesSubgraph({ port: await freePort(), host: '127.0.0.1', backend, clock, events });
    telemetry = await startMqttTelemetry({ url: BROKER_URL, group, edgeNode: '+', backend, clock, events });
    machine = (await backend.listMachines({ state: 'RUNNING' }, { offset: 0, limit: 1 })).items[0];
  });
  afterAll(async () => {
    for (const stop of stops.reverse()) await stop();
    await telemetry?.stop();
    await server?.stop();
    await events?.close();
  });

  it('DBIRTH then DDATA from a device: Machine.state agrees and machine-status events are published', async () => {
    const node = await SparkplugEdgeNode.start({ url: BROKER_URL, group, edgeNode: 'cell-a', devices: [machine] });
    stops.push(() => node.stop());
    await node.setState(machine.id, 'DOWN', 'Malfunction', 'AVAILABILITY');
    await waitUntil(async () => (await stateOf(machine.id))?.state === 'DOWN');
    expect(await stateOf(machine.id)).toEqual({ state: 'DOWN', reasonCode: 'Malfunction' });

    await node.setState(machine.id, 'RUNNING', null, null);
    await waitUntil(async () => (await stateOf(machine.id))?.state === 'RUNNING');
    const mine = events.machineStatus().filter((e) => JSON.stringify(e).includes(machine.id));
    expect(mine.length).toBe(2);
    expect(telemetry.ingest.stats()).toMatchObject({ malformed: 0, failures: 0, stateChanges: 2 });
  });

  it('a sequence gap makes the MES publish an NCMD Node Control/Rebirth to that node', async () => {
    const commands = await listen(`spBv1.0/${group}/NCMD/gappy`);
    stops.push(() => commands.close());
    const publish = (type: string, seq: number | undefined, device?: string) =>
      commands.client.publishAsync(
        `spBv1.0/${group}/${type}/gappy${device ? `/${device}` : ''}`,
        encodePayload({ seq, metrics: type === 'NBIRTH' ? [{ name: 'bdSeq', type: 'UInt64', value: 0 }] : [{ name: 'Machine/State', type: 'String', value: 'Execute' }] }),
      );
    await publish('NBIRTH', 0);
    await publish('DBIRTH', 1, machine.id);
    await publish('DDATA', 2, machine.id);
    await publish('DDATA', 7, machine.id); // 3..6 lost
    const [rebirth] = await waitUntil(() => (commands.received.length > 0 ? commands.received : undefined));
    expect(rebirth.payload?.metrics).toEqual([{ name: 'Node Control/Rebirth', alias: null, value: true }]);
    expect(telemetry.ingest.stats().rebirthsRequested).toBeGreaterThanOrEqual(1);
  });
});
