import { spawn, type ChildProcess } from 'node:child_process';
import { createMockMesBackend } from '../../../mocks/mes/in-memory-mes-backend';
import { DEFAULT_ANCHOR } from '../../../mocks/dataset/world';
import { anchoredClock } from '../../../subgraphs/common/clock';
import { encodePayload } from '../../../subgraphs/mes/telemetry/sparkplug-codec';
import { startMqttTelemetry, type MqttTelemetry } from '../../../subgraphs/mes/telemetry/mqtt-telemetry';
import { freePort } from '../../fixtures/free-port';
import { RecordingEventBus } from '../../unit/simulator/simulator-fixtures';
import { waitUntil } from './broker-fixtures';
import mqtt from 'mqtt';

/** Our own Mosquitto on a spare port (never the shared one): stopped and restarted under the MES's feet. */
describe('telemetry after the broker comes back', () => {
  const group = 'reconnect';
  let port: number;
  let broker: ChildProcess | undefined;
  let telemetry: MqttTelemetry | undefined;
  const events = new RecordingEventBus();

  const startBroker = async () => {
    broker = spawn('mosquitto', ['-p', String(port)], { stdio: 'ignore' });
    const url = `mqtt://127.0.0.1:${port}`;
    await waitUntil(async () => {
      const probe = await mqtt.connectAsync(url, { reconnectPeriod: 0 }, false).catch(() => undefined);
      await probe?.endAsync();
      return probe !== undefined;
    });
  };
  const stopBroker = async () => {
    const exited = new Promise((r) => broker!.once('exit', r));
    broker!.kill('SIGTERM');
    await exited;
    broker = undefined;
  };

  beforeAll(async () => {
    port = await freePort();
    await startBroker();
  });
  afterAll(async () => {
    await telemetry?.stop();
    if (broker) await stopBroker();
    await events.close();
  });

  it('asks known nodes to rebirth once reconnected', async () => {
    const url = `mqtt://127.0.0.1:${port}`;
    const backend = createMockMesBackend({ seed: 5, scale: 20, anchor: DEFAULT_ANCHOR });
    const machine = (await backend.listMachines({}, { offset: 0, limit: 1 })).items[0];
    telemetry = await startMqttTelemetry({ url, group, edgeNode: '+', backend, clock: anchoredClock(DEFAULT_ANCHOR), events });
    const edge = await mqtt.connectAsync(url, { reconnectPeriod: 0 });
    await edge.publishAsync(`spBv1.0/${group}/NBIRTH/n1`, encodePayload({ seq: 0, metrics: [{ name: 'bdSeq', type: 'UInt64', value: 0 }] }));
    await edge.publishAsync(`spBv1.0/${group}/DBIRTH/n1/${machine.id}`, encodePayload({ seq: 1, metrics: [] }));
    await waitUntil(() => telemetry!.ingest.stats().messages >= 2);
    await edge.endAsync(true);

    await stopBroker();
    await startBroker();
    // The host's session was interrupted: it asks n1 for a rebirth (NCMD), without waiting for n1's next message.
    await waitUntil(() => telemetry!.ingest.stats().rebirthsRequested >= 1, 10_000);
    expect(telemetry.ingest.stats()).toMatchObject({ rebirthsRequested: 1, failures: 0 });
  });
});
