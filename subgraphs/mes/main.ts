import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { startMachineSimulator } from '../../mocks/simulator/machine-simulator';
import { startMqttSimulatorTransport, type MqttSimulatorTransport } from '../../mocks/simulator/mqtt-transport';
import { anchoredClock } from '../common/clock';
import { ConfigError, mockDatasetEnv, port } from '../common/config';
import type { RunningServer } from '../common/http-server';
import { runService, ServiceDefinition, serviceEnv } from '../common/service-process';
import { createMesBackend, mesBackendEnv } from './backend/create-mes-backend';
import { createEventBus, eventBusEnv, eventBusOptionsFrom } from './events/create-event-bus';
import { startMesSubgraph } from './server';
import { identityEnv } from '../common/identity';
import { erpTenantOrders } from './tenant-orders';
import { startMqttTelemetry, telemetryEnv, type MqttTelemetry } from './telemetry/mqtt-telemetry';

const MesEnv = z.object({
  MES_PORT: port(4002),
  ...serviceEnv,
  ...mockDatasetEnv,
  ...eventBusEnv,
  ...telemetryEnv,
  ...mesBackendEnv,
  ...identityEnv,
  /** Where the MES asks which sales orders belong to a partner (only used with IDENTITY_SIGNING_SECRET). */
  ERP_SUBGRAPH_URL: z.string().url().default('http://localhost:4001/graphql'),
  /** Simulated shop-floor actions per second (state changes, production reports, releases); 0 turns it off. */
  SIMULATOR_RATE: z.coerce.number().min(0).max(10_000).default(0),
  /** inprocess: state changes written directly; mqtt: published as a Sparkplug edge node to MQTT_URL. */
  SIMULATOR_TRANSPORT: z.enum(['inprocess', 'mqtt']).default('inprocess'),
  /** The simulator's Sparkplug edge node id (SIMULATOR_TRANSPORT=mqtt). */
  SIMULATOR_EDGE_NODE: z.string().regex(/^[^/+#]+$/, 'must be one topic level').default('forge-simulator'),
});

/** The MES subgraph process on mock shop-floor data, served on MES_PORT, optionally with a live simulator. */
export const mesService: ServiceDefinition<typeof MesEnv> = {
  name: 'mes subgraph',
  portVariable: 'MES_PORT',
  env: MesEnv,
  async start(config, logger) {
    // Checked here, not with a zod refine: the env must stay a plain object (its shape lists the known variables).
    if (config.SIMULATOR_TRANSPORT === 'mqtt' && !config.MQTT_URL) {
      throw new ConfigError('invalid configuration:\n  - SIMULATOR_TRANSPORT: mqtt needs MQTT_URL');
    }
    // DATABASE_URL: the persistent PostgreSQL store (seeded with the same world when empty); else the mock.
    const store = await createMesBackend({
      databaseUrl: config.DATABASE_URL,
      databaseSchema: config.DATABASE_SCHEMA,
      seed: config.MOCK_SEED,
      scale: config.MOCK_SCALE,
      anchor: DEFAULT_ANCHOR,
      logger,
    });
    const backend = store.backend;
    // The seeded history ends at the anchor: a clock starting there makes "the last 24 h" land on real data.
    const clock = anchoredClock(DEFAULT_ANCHOR);
    const events = await createEventBus(eventBusOptionsFrom(config)).catch(async (error) => {
      await store.close();
      throw error;
    });
    // Started one after another; on a failure, what already runs is stopped in reverse order.
    // The store closes before the bus: its outbox relay must stop publishing first.
    const stops: (() => Promise<void>)[] = [() => events.close(), () => store.close()];
    store.startPublishing(events);
    const stopAll = async () => {
      for (const stop of stops.splice(0).reverse()) await stop();
    };
    try {
      const secret = config.IDENTITY_SIGNING_SECRET;
      const tenantOrders = secret ? erpTenantOrders({ erpUrl: config.ERP_SUBGRAPH_URL, secret }) : undefined;
      const running: RunningServer = await startMesSubgraph({
        port: config.MES_PORT, host: config.HOST, backend, clock, events, logger, identitySecret: secret, tenantOrders,
      });
      stops.push(() => running.stop());

      let telemetry: MqttTelemetry | null = null;
      if (config.MQTT_URL) {
        const { MQTT_URL: url, SPARKPLUG_GROUP: group, SPARKPLUG_EDGE: edgeNode } = config;
        telemetry = await startMqttTelemetry({ url, group, edgeNode, backend, clock, events, logger });
        stops.push(() => telemetry!.stop());
      }

      let transport: MqttSimulatorTransport | undefined;
      if (config.SIMULATOR_RATE > 0 && config.SIMULATOR_TRANSPORT === 'mqtt') {
        const edgeNode = config.SIMULATOR_EDGE_NODE;
        transport = await startMqttSimulatorTransport({ url: config.MQTT_URL!, group: config.SPARKPLUG_GROUP, edgeNode, backend, logger });
        stops.push(() => transport!.stop());
      }
      const simulator = startMachineSimulator({
        seed: config.MOCK_SEED,
        ratePerSecond: config.SIMULATOR_RATE,
        backend,
        events,
        clock,
        transport,
        onError: (error) => logger.warn({ err: error }, 'simulated action failed'),
      });
      stops.push(() => simulator.stop());
      if (config.SIMULATOR_RATE > 0) {
        logger.info({ rate: config.SIMULATOR_RATE, transport: config.SIMULATOR_TRANSPORT }, 'machine simulator running');
      }
      return { ...running, stop: stopAll };
    } catch (error) {
      await stopAll();
      throw error;
    }
  },
};

if (require.main === module) runService(mesService);
