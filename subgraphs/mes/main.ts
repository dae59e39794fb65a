import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { anchoredClock } from '../common/clock';
import { mockDatasetEnv, port } from '../common/config';
import { runService, ServiceDefinition, serviceEnv } from '../common/service-process';
import { startMesSubgraph } from './server';

const MesEnv = z.object({ MES_PORT: port(4002), ...serviceEnv, ...mockDatasetEnv });

/** The MES subgraph process on mock shop-floor data, served on MES_PORT. */
export const mesService: ServiceDefinition<typeof MesEnv> = {
  name: 'mes subgraph',
  portVariable: 'MES_PORT',
  env: MesEnv,
  async start(config, logger) {
    const backend = createMockMesBackend({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE, anchor: DEFAULT_ANCHOR });
    // The seeded history ends at the anchor: a clock starting there makes "the last 24 h" land on real data.
    const clock = anchoredClock(DEFAULT_ANCHOR);
    return startMesSubgraph({ port: config.MES_PORT, host: config.HOST, backend, clock, logger });
  },
};

if (require.main === module) runService(mesService);
