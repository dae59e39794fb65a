import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import type { Clock } from '../common/clock';
import { healthRoutes, serveGraphQL, type RunningServer } from '../common/http-server';
import type { MesBackend } from './backend/mes-backend';
import { createMesContext, type MesContext } from './context';
import { buildMesSchema } from './schema';

export interface MesSubgraphOptions {
  /** 0 picks a free port (tests); the chosen one is on the returned RunningServer. */
  port: number;
  host?: string;
  backend: MesBackend;
  clock: Clock;
  /** Apollo's own messages go here (main passes its pino logger); console by default. */
  logger?: ApolloServerOptions<MesContext>['logger'];
}

/** Serves the MES subgraph at `/graphql`, with `/health` (and `/health/live`, `/health/ready`) answering 200. */
export async function startMesSubgraph(options: MesSubgraphOptions): Promise<RunningServer> {
  // Signals belong to the process entry (main.ts), which stops the HTTP server too and picks the exit code.
  const server = new ApolloServer<MesContext>({
    schema: await buildMesSchema(),
    logger: options.logger,
    stopOnTerminationSignals: false,
  });
  return serveGraphQL({
    server,
    context: async () => createMesContext(options.backend, options.clock),
    port: options.port,
    host: options.host,
    // The backend is reached per request, nothing to warm up: once listening, the subgraph is live and ready.
    routes: healthRoutes({ status: 'ok', subgraph: 'mes' }),
  });
}
