import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import type http from 'node:http';
import type { Clock } from '../common/clock';
import { serveGraphQL, type RunningServer } from '../common/http-server';
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
  const healthy = (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', subgraph: 'mes' }));
  };
  try {
    return await serveGraphQL({
      server,
      context: async () => createMesContext(options.backend, options.clock),
      port: options.port,
      host: options.host,
      // In-memory or remote, the backend is reached per request: once listening, the subgraph is live and ready.
      routes: { '/health': healthy, '/health/live': healthy, '/health/ready': healthy },
    });
  } catch (error) {
    // listen failed (e.g. port in use) after Apollo started: stop it so nothing is left running.
    await server.stop().catch(() => undefined);
    throw error;
  }
}
