import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { anchoredClock } from '../common/clock';
import { ConfigError, mockDatasetEnv, port } from '../common/config';
import type { RunningServer } from '../common/http-server';
import { runService, ServiceDefinition, serviceEnv } from '../common/service-process';
import { identityEnv } from '../common/identity';
import type { ErpBackend } from './backend/erp-backend';
import { ErpNextRestBackend } from './backend/erpnext';
import { startErpSubgraph } from './server';

/**
 * ERP_BACKEND picks the back office: `mock` (default, the seeded in-memory world) or `rest` (an ERPNext site at
 * ERP_URL, authenticated with ERP_API_KEY / ERP_API_SECRET). Each problem is one line of the start-up message.
 */
const ErpEnv = z.object({
  ERP_PORT: port(4001),
  ERP_BACKEND: z.enum(['mock', 'rest']).default('mock'),
  ERP_URL: z
    .string()
    .url('must be an http(s) URL, e.g. https://erp.example.com')
    .refine((value) => /^https?:\/\//.test(value), 'must be an http(s) URL, e.g. https://erp.example.com')
    .optional(),
  ERP_API_KEY: z.string().min(1).optional(),
  ERP_API_SECRET: z.string().min(1).optional(),
  ERP_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(5000),
  ...serviceEnv,
  ...mockDatasetEnv,
  ...identityEnv,
});

/**
 * What ERP_BACKEND=rest needs besides ERP_PORT. Checked in `start`, not with a zod refine: the env must stay a
 * plain object (its shape lists the known variables). ERPNext answers 403 to anonymous REST reads, so a missing
 * key fails here rather than as a graph full of errors.
 */
function restProblems(config: ErpConfig): string[] {
  const problems: string[] = [];
  if (!config.ERP_URL) problems.push('ERP_URL: is required when ERP_BACKEND=rest (the ERPNext site to call)');
  if (!config.ERP_API_KEY) problems.push('ERP_API_KEY: is required when ERP_BACKEND=rest (an ERPNext API key)');
  if (!config.ERP_API_SECRET) problems.push('ERP_API_SECRET: is required when ERP_BACKEND=rest (its API secret)');
  return problems;
}

type ErpConfig = z.infer<typeof ErpEnv>;

/** The ERP subgraph process: the mock back office or an ERPNext site, served on ERP_PORT. */
export const erpService: ServiceDefinition<typeof ErpEnv> = {
  name: 'erp subgraph',
  portVariable: 'ERP_PORT',
  env: ErpEnv,
  async start(config, logger) {
    const problems = config.ERP_BACKEND === 'rest' ? restProblems(config) : [];
    if (problems.length > 0) throw new ConfigError(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    // The mock's history ends at its anchor; one clock starting there stamps new records and judges due dates.
    // A real ERP lives in the present, so its subgraph judges due dates by the system clock.
    const clock = config.ERP_BACKEND === 'rest' ? () => new Date() : anchoredClock(DEFAULT_ANCHOR);
    const { backend, close } = createBackend(config, clock);
    if (config.ERP_BACKEND === 'rest') logger.info({ url: config.ERP_URL, timeoutMs: config.ERP_TIMEOUT_MS }, 'erp backend: ERPNext REST');
    const running = await startErpSubgraph({
      port: config.ERP_PORT, host: config.HOST, backend, clock, logger, identitySecret: config.IDENTITY_SIGNING_SECRET,
    });
    return withBackendClosed(running, close);
  },
};

function createBackend(config: ErpConfig, clock: () => Date): { backend: ErpBackend; close: () => Promise<void> } {
  if (config.ERP_BACKEND === 'rest') {
    const backend = new ErpNextRestBackend({
      url: config.ERP_URL!,
      apiKey: config.ERP_API_KEY!,
      apiSecret: config.ERP_API_SECRET!,
      timeoutMs: config.ERP_TIMEOUT_MS,
    });
    return { backend, close: () => backend.close() };
  }
  const backend = createMockErpBackend({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE, anchor: DEFAULT_ANCHOR, clock });
  return { backend, close: async () => undefined };
}

/** Stopping the server also closes the backend's keep-alive sockets, after in-flight requests finished. */
function withBackendClosed(running: RunningServer, close: () => Promise<void>): RunningServer {
  return {
    ...running,
    async stop() {
      await running.stop();
      await close();
    },
  };
}

if (require.main === module) runService(erpService);
