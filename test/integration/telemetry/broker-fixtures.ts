import mqtt, { type MqttClient } from 'mqtt';
import { decodePayload, type DecodedPayload } from '../../../subgraphs/mes/telemetry/sparkplug-codec';

/** The shared Mosquitto: every test run uses its own Sparkplug group so runs never see each other's messages. */
export const BROKER_URL = process.env.FORGE_TEST_MQTT_URL ?? 'mqtt://127.0.0.1:1883';

export const uniqueGroup = (label: string) => `forge-test-${label}-${process.pid}-${Date.now().toString(36)}`;

/** Polls until `check` returns a value other than undefined/false, or fails with the last value seen. */
type Maybe<T> = T | undefined | false;

export async function waitUntil<T>(check: () => Promise<Maybe<T>> | Maybe<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: Maybe<T>;
  while (Date.now() < deadline) {
    last = await check();
    if (last !== undefined && last !== false) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`condition not met within ${timeoutMs} ms (last: ${JSON.stringify(last)})`);
}

/** A plain MQTT client that records every message under a filter, decoded when it is Sparkplug. */
export interface Listener {
  client: MqttClient;
  received: { topic: string; payload: DecodedPayload | null }[];
  close(): Promise<void>;
}

export async function listen(filter: string): Promise<Listener> {
  const client = await mqtt.connectAsync(BROKER_URL, { clean: true, reconnectPeriod: 0 });
  const received: Listener['received'] = [];
  client.on('message', (topic, payload) => {
    let decoded: DecodedPayload | null = null;
    try {
      decoded = decodePayload(payload);
    } catch {
      // kept with a null payload: the test decides whether that matters
    }
    received.push({ topic, payload: decoded });
  });
  await client.subscribeAsync(filter, { qos: 1 });
  return { client, received, close: () => client.endAsync() };
}
