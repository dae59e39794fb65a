import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { startMachineSimulator } from '../../mocks/simulator/machine-simulator';
import { anchoredClock } from '../common/clock';
import { mockDatasetEnv, port } from '../common/config';
import { runService, ServiceDefinition, serviceEnv } from '../common/service-process';
import { createEventBus, eventBusEnv, eventBusOptionsFrom } from './events/create-event-bus';
import { startMesSubgraph } from './server';

const MesEnv = z.object({
  MES_PORT: port(4002),
  ...serviceEnv,
  ...mockDatasetEnv,
  ...eventBusEnv,
  /** Simulated shop-floor actions per second (state changes, production reports, releases); 0 turns it off. */
  SIMULATOR_RATE: z.coerce.number().min(0).max(10_000).default(0),
});

/** The MES subgraph process on mock shop-floor data, served on MES_PORT, optionally with a live simulator. */
export const mesService: ServiceDefinition<typeof MesEnv> = {
  name: 'mes subgraph',
  portVariable: 'MES_PORT',
  env: MesEnv,
  async start(config, logger) {
    const backend = createMockMesBackend({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE, anchor: DEFAULT_ANCHOR });
    // The seeded history ends at the anchor: a clock starting there makes "the last 24 h" land on real data.
    const clock = anchoredClock(DEFAULT_ANCHOR);
    const events = await createEventBus(eventBusOptionsFrom(config));
    let running;
    try {
      running = await startMesSubgraph({ port: config.MES_PORT, host: config.HOST, backend, clock, events, logger });
    } catch (error) {
      await events.close();
      throw error;
    }
    const simulator = startMachineSimulator({
      seed: config.MOCK_SEED,
      ratePerSecond: config.SIMULATOR_RATE,
      backend,
      events,
      clock,
      onError: (error) => logger.warn({ err: error }, 'simulated action failed'),
    });
    if (config.SIMULATOR_RATE > 0) logger.info({ rate: config.SIMULATOR_RATE }, 'machine simulator running');
    return {
      ...running,
      async stop() {
        await simulator.stop();
        await running.stop();
        await events.close();
      },
    };
  },
};

if (require.main === module) runService(mesService);
