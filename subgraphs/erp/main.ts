import pino from 'pino';
import { z } from 'zod';
import { DEFAULT_ANCHOR } from '../../mocks/dataset/world';
import { createMockErpBackend } from '../../mocks/erp/in-memory-erp-backend';
import { anchoredClock } from '../common/clock';
import { ConfigError, loadConfig, mockDatasetEnv, port } from '../common/config';
import type { RunningServer } from '../common/http-server';
import { startErpSubgraph } from './server';

/**
 * The ERP subgraph process: mock back office, served on ERP_PORT. Startup problems a user can fix (a bad
 * variable, a taken port) end in one readable line on stderr and exit code 1; the launcher shows that line.
 */
const ErpEnv = z.object({
  ERP_PORT: port(4001),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ...mockDatasetEnv,
});

/** An expected startup failure: its message is all the user needs, a stack trace would only hide it. */
export class StartupProblem extends Error {
  override name = 'StartupProblem';
}

export interface ErpProcess {
  running: RunningServer;
  logger: pino.Logger;
}

/** Config, mock backend and clock from the environment, then listen. Rejects with ConfigError or StartupProblem. */
export async function startFromEnvironment(env: NodeJS.ProcessEnv = process.env): Promise<ErpProcess> {
  const config = loadConfig(ErpEnv, env);
  const logger = pino({ name: 'erp-subgraph', level: config.LOG_LEVEL });
  // The mock's history ends at its anchor; one clock starting there stamps new records and judges due dates.
  const clock = anchoredClock(DEFAULT_ANCHOR);
  const backend = createMockErpBackend({ seed: config.MOCK_SEED, scale: config.MOCK_SCALE, anchor: DEFAULT_ANCHOR, clock });
  try {
    const running = await startErpSubgraph({ port: config.ERP_PORT, host: config.HOST, backend, clock, logger });
    logger.info({ url: running.url, seed: config.MOCK_SEED, scale: config.MOCK_SCALE }, `erp subgraph ready at ${running.url}`);
    return { running, logger };
  } catch (error) {
    throw listenProblem(error, config.ERP_PORT) ?? error;
  }
}

/** A listen failure the user can act on, as a one-line StartupProblem; undefined for anything else. */
function listenProblem(error: unknown, portNumber: number): StartupProblem | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new StartupProblem(`port ${portNumber} is already in use (set ERP_PORT)`);
  if (code === 'EACCES') return new StartupProblem(`no permission to listen on port ${portNumber} (set ERP_PORT)`);
  if (code === 'EADDRNOTAVAIL') return new StartupProblem('the address to listen on is not available (set HOST)');
  return undefined;
}

/** What goes to stderr when startup fails: the message alone when the user can act on it, else the stack. */
export function startupFailureText(error: unknown): string {
  const expected = error instanceof ConfigError || error instanceof StartupProblem;
  const text = expected ? (error as Error).message : ((error as Error)?.stack ?? String(error));
  return `erp subgraph: ${text}`;
}

async function main(): Promise<void> {
  const { running, logger } = await startFromEnvironment();
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'erp subgraph stopping');
    running.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`erp subgraph: error while stopping: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`${startupFailureText(error)}\n`);
    process.exit(1);
  });
}
