import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { anchoredClock } from '../common/clock';
import { mockDatasetEnv, port } from '../common/config';
import { runService, ServiceDefinition, serviceEnv } from '../common/service-process';
import { startErpSubgraph } from './server';

const ErpEnv = z.object({ ERP_PORT: port(4001), ...serviceEnv, ...mockDatasetEnv });

/** The ERP subgraph process: mock back office, served on ERP_PORT. */
export const erpService: ServiceDefinition<typeof ErpEnv> = {
  name: 'erp subgraph',
  portVariable: 'ERP_PORT',
  env: ErpEnv,
  async start(config, logger) {
    // The mock's history ends at its anchor; one clock starting there stamps new records and judges due dates.
    const clock = anchoredClock(DEFAULT_ANCHOR);
    const backend = createMockErpBackend({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE, anchor: DEFAULT_ANCHOR, clock });
    return startErpSubgraph({ port: config.ERP_PORT, host: config.HOST, backend, clock, logger });
  },
};

if (require.main === module) runService(erpService);
