import { z } from 'zod';
import { mockDatasetEnv, port } from '../../subgraphs/common/config';
import { runService, ServiceDefinition, serviceEnv } from '../../subgraphs/common/service-process';
import { DEFAULT_ANCHOR } from '../dataset/world';
import { fakeErpNextWorld, startFakeErpNext } from './fake-erpnext-server';

/** Dev defaults only: a real site's keys come from its user settings and never live in code. */
const FakeErpNextEnv = z.object({
  ERPNEXT_PORT: port(4005),
  ERPNEXT_API_KEY: z.string().min(1).default('forge-dev-key'),
  ERPNEXT_API_SECRET: z.string().min(1).default('forge-dev-secret'),
  ...serviceEnv,
  ...mockDatasetEnv,
});

/** A fake ERPNext site on ERPNEXT_PORT, serving the world of MOCK_SEED / MOCK_SCALE: `ERP_BACKEND=rest` talks to it. */
export const fakeErpNextService: ServiceDefinition<typeof FakeErpNextEnv> = {
  name: 'fake erpnext',
  portVariable: 'ERPNEXT_PORT',
  env: FakeErpNextEnv,
  async start(config) {
    const world = fakeErpNextWorld({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE, anchor: DEFAULT_ANCHOR });
    const fake = await startFakeErpNext({ world, apiKey: config.ERPNEXT_API_KEY, apiSecret: config.ERPNEXT_API_SECRET, port: config.ERPNEXT_PORT, host: config.HOST });
    // runService logs `ready at <url>`; the adapter wants the site origin, which is what url holds.
    return fake;
  },
};

if (require.main === module) runService(fakeErpNextService);
