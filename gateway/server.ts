import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { healthRoutes, RunningServer, serveGraphQL } from '../subgraphs/common/http-server';
import type { GatewayConfig } from './config';
import { gatewayPlugins } from './plugins';
import { SubgraphDataSource } from './subgraph-data-source';
import { subscriptionRoutes, type SubscriptionRoute } from './subscriptions/subscription-routes';
import { startSubscriptionServer } from './subscriptions/websocket-server';
import { supergraphSource } from './supergraph-source';

export interface StartGatewayOptions extends Partial<GatewayConfig> {
  supergraphPath: string;
  port: number;
  /** Observes every subgraph fetch (tests count them; metrics will too). */
  onSubgraphFetch?: (subgraph: string) => void;
  onSupergraphReload?: (path: string) => void;
  onUpstreamReconnect?: (attempt: number, reason: unknown) => void;
}

export interface RunningGateway extends RunningServer {
  gateway: ApolloGateway;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const urlOverrides = options.urlOverrides ?? {};
  const gateway = new ApolloGateway({
    ...supergraphSource({
      supergraphPath: options.supergraphPath,
      subgraphs: options.subgraphs,
      pollIntervalMs: options.supergraphPollMs,
      onReload: options.onSupergraphReload,
    }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: urlOverrides[name] ?? url ?? '',
        timeoutMs: options.subgraphTimeoutMs ?? 10_000,
        onFetch: options.onSubgraphFetch,
      }),
  });
  // Subscriptions follow the supergraph: a reload brings new routes for new subscribers, open ones go on.
  let current: { apiSchema: GraphQLSchema; routes: Map<string, SubscriptionRoute> } | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    current = { apiSchema, routes: subscriptionRoutes(coreSupergraphSdl, apiSchema, urlOverrides) };
  });

  const production = options.production ?? false;
  const server = new ApolloServer({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    stopOnTerminationSignals: false,
    plugins: [...gatewayPlugins(), ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  const running = await serveGraphQL({
    server,
    port: options.port,
    host: options.host,
    context: async () => ({}),
    routes: healthRoutes({ status: 'ok', service: 'gateway' }),
  });
  const subscriptions = startSubscriptionServer({
    httpServer: running.httpServer,
    path: '/graphql',
    apollo: server,
    current: () => current,
    bufferSize: options.subscriptionBuffer ?? 1000,
    hydrationConcurrency: options.hydrationConcurrency ?? 4,
    onReconnect: options.onUpstreamReconnect,
  });
  return {
    ...running,
    gateway,
    async stop() {
      await subscriptions.stop();
      await running.stop();
    },
  };
}
