import pino from 'pino';
import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockMesBackend } from '../../mocks/mes/in-memory-mes-backend';
import { anchoredClock } from '../common/clock';
import { ConfigError, loadConfig, mockDatasetEnv, port } from '../common/config';
import type { RunningServer } from '../common/http-server';
import { startMesSubgraph } from './server';

/**
 * The MES subgraph process on mock shop-floor data. A problem the user can fix (a bad variable, a taken port)
 * ends in one line on stderr and exit code 1, without a stack trace to dig through.
 */
const MesEnv = z.object({
  MES_PORT: port(4002),
  HOST: z.string().min(1).default('0.0.0.0'),
  ...mockDatasetEnv,
});

const logger = pino({ name: 'mes-subgraph' });

/** An expected startup failure whose message says everything. */
export class StartupProblem extends Error {
  override name = 'StartupProblem';
}

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<RunningServer> {
  const config = loadConfig(MesEnv, env);
  const backend = createMockMesBackend({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE });
  // The seeded history ends at the anchor: a clock starting there makes "the last 24 h" land on real data.
  const clock = anchoredClock(DEFAULT_ANCHOR);

  const running = await startMesSubgraph({ port: config.MES_PORT, host: config.HOST, backend, clock, logger }).catch(
    (error: NodeJS.ErrnoException) => {
      if (error?.code === 'EADDRINUSE') throw new StartupProblem(`port ${config.MES_PORT} is already in use (set MES_PORT)`);
      if (error?.code === 'EACCES') throw new StartupProblem(`no permission to listen on port ${config.MES_PORT} (set MES_PORT)`);
      throw error;
    },
  );
  logger.info({ url: running.url, seed: config.MOCK_SEED, scale: config.MOCK_SCALE }, `mes subgraph ready at ${running.url}`);

  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'mes subgraph stopping');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`mes subgraph: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return running;
}

if (require.main === module) {
  main().catch((error: unknown) => {
    const expected = error instanceof ConfigError || error instanceof StartupProblem;
    process.stderr.write(`mes subgraph: ${expected ? (error as Error).message : ((error as Error)?.stack ?? String(error))}\n`);
    process.exit(1);
  });
}
