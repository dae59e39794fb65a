import type { ApolloServerOptions } from '@apollo/server';
import { useServer } from 'graphql-ws/use/ws';
import type http from 'node:http';
import { WebSocketServer } from 'ws';
import type { Clock } from '../common/clock';
import { subgraphApollo } from '../common/subgraph-apollo';
import { healthRoutes, serveGraphQL, type RunningServer } from '../common/http-server';
import { connectionIdentity, requestIdentity } from '../common/identity';
import type { TenantOrders } from './tenant-orders';
import type { MesBackend } from './backend/mes-backend';
import { createMesContext, createSubscriptionContext, type MesContext } from './context';
import type { EventBus } from './events/event-bus';
import { buildMesSchema } from './schema';

export interface MesSubgraphOptions {
  /** 0 picks a free port (tests); the chosen one is on the returned RunningServer. */
  port: number;
  host?: string;
  backend: MesBackend;
  clock: Clock;
  events: EventBus;
  /** Apollo's own messages go here (main passes its pino logger); console by default. */
  logger?: ApolloServerOptions<MesContext>['logger'];
  /** IDENTITY_SIGNING_SECRET: when set, requests and sockets without a valid signed identity are refused. */
  identitySecret?: string;
  /** How a partner's sales orders are learnt (tenant-orders.ts); without it partners see no MES rows. */
  tenantOrders?: TenantOrders;
}

/**
 * Serves the MES subgraph at `/graphql`: queries and mutations over HTTP, subscriptions over graphql-ws on the
 * same path and port. `/health` (and `/health/live`, `/health/ready`) answer 200.
 */
export async function startMesSubgraph(options: MesSubgraphOptions): Promise<RunningServer> {
  const schema = await buildMesSchema();
  const context = async (req: http.IncomingMessage) =>
    createMesContext(options.backend, options.clock, options.events, {
      identity: requestIdentity(req, options.identitySecret),
      tenantOrders: options.tenantOrders,
    });
  const { server, fastLane } = subgraphApollo(schema, context, options.logger);
  const running = await serveGraphQL({
    server,
    context,
    fastLane,
    port: options.port,
    host: options.host,
    // The backend is reached per request, nothing to warm up: once listening, the subgraph is live and ready.
    routes: healthRoutes({ status: 'ok', subgraph: 'mes' }),
  });

  const wsServer = new WebSocketServer({ server: running.httpServer, path: '/graphql' });
  const subscriptions = useServer(
    {
      schema,
      // A socket without a valid signed identity (when a secret is set) is closed 4403 before any subscription.
      onConnect: (ctx) => !(connectionIdentity(ctx.connectionParams, options.identitySecret) instanceof Error),
      context: (ctx) => {
        const identity = connectionIdentity(ctx.connectionParams, options.identitySecret);
        return createSubscriptionContext(options.backend, options.clock, options.events, {
          identity: identity instanceof Error ? null : identity,
          tenantOrders: options.tenantOrders,
        });
      },
    },
    wsServer,
  );
  return {
    ...running,
    async stop() {
      await subscriptions.dispose();
      await new Promise<void>((resolve) => wsServer.close(() => resolve()));
      await running.stop();
    },
  };
}
