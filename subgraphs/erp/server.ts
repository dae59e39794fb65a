import { ApolloServer, ApolloServerOptions } from '@apollo/server';
import type http from 'node:http';
import type { Clock } from '../common/clock';
import { RunningServer, serveGraphQL } from '../common/http-server';
import type { ErpBackend } from './backend/erp-backend';
import { createErpContext, ErpContext } from './context';
import { buildErpSchema } from './schema';

export interface ErpSubgraphOptions {
  port: number;
  host?: string;
  backend: ErpBackend;
  clock: Clock;
  /** Apollo's own messages go here (main passes its pino logger); console by default. */
  logger?: ApolloServerOptions<ErpContext>['logger'];
}

/** Serves the ERP subgraph at `/graphql`, with health routes for the launcher and orchestrators. */
export async function startErpSubgraph(options: ErpSubgraphOptions): Promise<RunningServer> {
  const schema = await buildErpSchema();
  // Signals belong to the process entry (main.ts), which stops the HTTP server too and picks the exit code.
  const server = new ApolloServer<ErpContext>({ schema, logger: options.logger, stopOnTerminationSignals: false });
  const healthy = (res: http.ServerResponse) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ status: 'ok', subgraph: 'erp' }));
  };
  try {
    return await serveGraphQL({
      server,
      context: async () => createErpContext(options.backend, options.clock),
      port: options.port,
      host: options.host,
      // Nothing to warm up and no connection to lose: once listening, the subgraph is live and ready.
      routes: { '/health': healthy, '/health/live': healthy, '/health/ready': healthy },
    });
  } catch (error) {
    // listen failed (e.g. port in use) after Apollo started: stop it so the caller is left with nothing running.
    await server.stop().catch(() => undefined);
    throw error;
  }
}
