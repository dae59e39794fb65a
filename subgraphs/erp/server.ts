import type { ApolloServerOptions } from '@apollo/server';
import type http from 'node:http';
import type { Clock } from '../common/clock';
import { subgraphApollo } from '../common/subgraph-apollo';
import { healthRoutes, RunningServer, serveGraphQL } from '../common/http-server';
import { requestIdentity } from '../common/identity';
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
  /** IDENTITY_SIGNING_SECRET: when set, requests without a valid x-forge-identity are refused (401). */
  identitySecret?: string;
}

/** Serves the ERP subgraph at `/graphql`, with health routes for the launcher and orchestrators. */
export async function startErpSubgraph(options: ErpSubgraphOptions): Promise<RunningServer> {
  const schema = await buildErpSchema();
  const context = async (req: http.IncomingMessage) => createErpContext(options.backend, options.clock, requestIdentity(req, options.identitySecret));
  const { server, fastLane } = subgraphApollo(schema, context, options.logger);
  return serveGraphQL({
    server,
    context,
    fastLane,
    port: options.port,
    host: options.host,
    // The backend is reached per request, nothing to warm up: once listening, the subgraph is live and ready.
    routes: healthRoutes({ status: 'ok', subgraph: 'erp' }),
  });
}
