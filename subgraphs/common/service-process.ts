import pino from 'pino';
import { z } from 'zod';
import { ConfigError, loadConfig } from './config';
import type { RunningServer } from './http-server';

/** Variables every forge process reads besides its port. */
export const serviceEnv = {
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
};

export interface ServiceDefinition<S extends z.ZodTypeAny> {
  /** As the user should read it in messages, e.g. `erp subgraph`. */
  name: string;
  /** The variable that sets the port, named in the port-in-use message so the user knows what to change. */
  portVariable: string;
  env: S;
  start(config: z.infer<S>, logger: pino.Logger): Promise<RunningServer>;
}

/** An expected start-up failure: its message is all the user needs, a stack trace would only hide it. */
export class StartupProblem extends Error {
  override name = 'StartupProblem';
}

export interface StartedService {
  running: RunningServer;
  logger: pino.Logger;
}

/** Config from the environment, then listen. Rejects with ConfigError or StartupProblem for what a user can fix. */
export async function startService<S extends z.ZodTypeAny>(
  service: ServiceDefinition<S>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedService> {
  const config = loadConfig(service.env, env) as z.infer<S> & { LOG_LEVEL?: string };
  assertProductionIdentity(service, config);
  const logger = pino({ name: service.name.replace(/\s+/g, '-'), level: config.LOG_LEVEL ?? 'info' });
  try {
    const running = await service.start(config, logger);
    logger.info({ url: running.url }, `${service.name} ready at ${running.url}`);
    return { running, logger };
  } catch (error) {
    throw listenProblem(error, (config as Record<string, unknown>)[service.portVariable], service.portVariable) ?? error;
  }
}

/**
 * Signed identities are what stop anyone from calling a subgraph around the gateway (DESIGN §5). In production a
 * service that signs or checks them (its settings include IDENTITY_SIGNING_SECRET) does not start without one.
 */
function assertProductionIdentity(service: ServiceDefinition<z.ZodTypeAny>, config: Record<string, unknown>): void {
  const shape = (service.env as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  if (config.NODE_ENV !== 'production' || !('IDENTITY_SIGNING_SECRET' in shape) || config.IDENTITY_SIGNING_SECRET) return;
  throw new StartupProblem(
    'NODE_ENV=production needs IDENTITY_SIGNING_SECRET (the same on the gateway and every subgraph), so that no request reaches a subgraph around the gateway',
  );
}

function listenProblem(error: unknown, port: unknown, variable: string): StartupProblem | undefined {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') return new StartupProblem(`port ${String(port)} is already in use (set ${variable})`);
  if (code === 'EACCES') return new StartupProblem(`no permission to listen on port ${String(port)} (set ${variable})`);
  if (code === 'EADDRNOTAVAIL') return new StartupProblem('the address to listen on is not available (set HOST)');
  return undefined;
}

/** What goes to stderr when start-up fails: the message alone when the user can act on it, else the stack. */
export function startupFailureText(serviceName: string, error: unknown): string {
  const expected = error instanceof ConfigError || error instanceof StartupProblem;
  const text = expected ? (error as Error).message : ((error as Error)?.stack ?? String(error));
  return `${serviceName}: ${text}`;
}

/**
 * The process entry of a service: start, stop cleanly on SIGINT/SIGTERM (exit 0), and on a start-up failure
 * print one line and exit 1 — the stack launcher shows that line as the reason.
 */
export function runService<S extends z.ZodTypeAny>(service: ServiceDefinition<S>): void {
  startService(service).then(
    ({ running, logger }) => {
      let stopping = false;
      const stop = (signal: NodeJS.Signals) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, `${service.name} stopping`);
        running.stop().then(
          () => process.exit(0),
          (error: unknown) => {
            process.stderr.write(`${service.name}: error while stopping: ${String(error)}\n`);
            process.exit(1);
          },
        );
      };
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    },
    (error: unknown) => {
      process.stderr.write(`${startupFailureText(service.name, error)}\n`);
      process.exit(1);
    },
  );
}
