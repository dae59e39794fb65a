import { ApolloServer, type ApolloServerOptions } from '@apollo/server';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Clock } from '../common/clock';
import { healthRoutes, serveGraphQL, type RunningServer } from '../common/http-server';
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
}

/**
 * Serves the MES subgraph at `/graphql`: queries and mutations over HTTP, subscriptions over graphql-ws on the
 * same path and port. `/health` (and `/health/live`, `/health/ready`) answer 200.
 */
export async function startMesSubgraph(options: MesSubgraphOptions): Promise<RunningServer> {
  const schema = await buildMesSchema();
  // Signals belong to the process entry (main.ts), which stops the HTTP server too and picks the exit code.
  const server = new ApolloServer<MesContext>({ schema, logger: options.logger, stopOnTerminationSignals: false });
  const running = await serveGraphQL({
    server,
    context: async () => createMesContext(options.backend, options.clock, options.events),
    port: options.port,
    host: options.host,
    // The backend is reached per request, nothing to warm up: once listening, the subgraph is live and ready.
    routes: healthRoutes({ status: 'ok', subgraph: 'mes' }),
  });

  const wsServer = new WebSocketServer({ server: running.httpServer, path: '/graphql' });
  const subscriptions = useServer(
    { schema, context: () => createSubscriptionContext(options.backend, options.clock, options.events) },
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
