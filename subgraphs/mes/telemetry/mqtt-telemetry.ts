import mqtt from 'mqtt';
import { z } from 'zod';
import { subscriptionFilter } from './sparkplug-topic';
import { createTelemetryIngest, type TelemetryIngest, type TelemetryIngestOptions } from './telemetry-ingest';

/** Environment fragment of the MES process (spread into its zod env object). */
export const telemetryEnv = {
  /** Set: ingest Sparkplug B telemetry from this broker (mqtt://, mqtts://, ws://, wss://). Unset: no telemetry. */
  MQTT_URL: z.preprocess(
    (value) => (value === '' ? undefined : value),
    z
      .string()
      .url()
      .refine((url) => /^(mqtts?|wss?):\/\//.test(url), 'must be an mqtt://, mqtts://, ws:// or wss:// URL')
      .optional(),
  ),
  /** The Sparkplug group id the plant's edge nodes publish under. */
  SPARKPLUG_GROUP: z.string().regex(/^[^/+#]+$/, 'must be one topic level (no /, + or #)').default('forge'),
  /** One edge node id, or `+` for every edge node of the group (the default). */
  SPARKPLUG_EDGE: z.string().regex(/^(\+|[^/+#]+)$/, 'must be one topic level or +').default('+'),
};

export interface MqttTelemetryOptions extends Omit<TelemetryIngestOptions, 'publish'> {
  url: string;
  group: string;
  edgeNode: string;
  /** MQTT client id; unique per MES instance (a broker drops the older of two sessions with one id). */
  clientId?: string;
}

export interface MqttTelemetry {
  ingest: TelemetryIngest;
  /** Unsubscribes, lets in-flight messages finish, ends the MQTT client. */
  stop(): Promise<void>;
}

/**
 * Connects to the broker and feeds every message under `spBv1.0/<group>/+/<edge>/#` to the ingest. mqtt.js
 * reconnects by itself; after every reconnect the host asks its known nodes to rebirth, since with a clean
 * session whatever was published meanwhile is gone (a seq gap would reveal it, but only on the next message).
 * Resolves once subscribed, so nothing published after start-up is missed; rejects if the broker is unreachable.
 */
export async function startMqttTelemetry(options: MqttTelemetryOptions): Promise<MqttTelemetry> {
  const { url, group, edgeNode, logger } = options;
  const client = await mqtt.connectAsync(url, {
    clientId: options.clientId ?? `forge-mes-${process.pid}-${Math.random().toString(16).slice(2, 8)}`,
    clean: true,
    reconnectPeriod: 1_000,
    connectTimeout: 5_000,
  });
  const ingest = createTelemetryIngest({
    ...options,
    publish: async (topic, payload) => {
      await client.publishAsync(topic, payload, { qos: 0 });
    },
  });
  const filter = subscriptionFilter(group, edgeNode);
  client.on('message', (topic, payload) => void ingest.handle(topic, payload));
  client.on('error', (error) => logger?.warn({ err: error }, 'telemetry: MQTT error'));
  client.on('offline', () => logger?.warn({ url }, 'telemetry: MQTT broker unreachable, reconnecting'));
  client.on('connect', () => {
    // A fresh clean session has no subscriptions: subscribe again before asking for the births.
    client.subscribeAsync(filter, { qos: 1 }).then(
      () => ingest.rebirthAll(),
      (error: unknown) => logger?.warn({ err: error, filter }, 'telemetry: resubscribe failed'),
    );
    logger?.info({ url }, 'telemetry: MQTT reconnected');
  });
  try {
    await client.subscribeAsync(filter, { qos: 1 });
  } catch (error) {
    await client.endAsync(true);
    throw error;
  }
  logger?.info({ url, filter }, 'telemetry: ingesting Sparkplug B');

  return {
    ingest,
    async stop() {
      client.removeAllListeners('connect');
      await client.unsubscribeAsync(filter).catch(() => undefined);
      await ingest.idle();
      await client.endAsync();
    },
  };
}
