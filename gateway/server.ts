import { ApolloGateway } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { healthRoutes, RunningServer, serveGraphQL } from '../subgraphs/common/http-server';
import type { GatewayConfig } from './config';
import { gatewayPlugins } from './plugins';
import { SubgraphDataSource } from './subgraph-data-source';
import { supergraphSource } from './supergraph-source';

export interface StartGatewayOptions extends Partial<GatewayConfig> {
  supergraphPath: string;
  port: number;
  /** Observes every subgraph fetch (tests count them; metrics will too). */
  onSubgraphFetch?: (subgraph: string) => void;
}

export interface RunningGateway extends RunningServer {
  gateway: ApolloGateway;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  const urlOverrides = options.urlOverrides ?? {};
  const gateway = new ApolloGateway({
    ...supergraphSource({ supergraphPath: options.supergraphPath, subgraphs: options.subgraphs }),
    buildService: ({ name, url }) =>
      new SubgraphDataSource({
        name,
        url: urlOverrides[name] ?? url ?? '',
        timeoutMs: options.subgraphTimeoutMs ?? 10_000,
        onFetch: options.onSubgraphFetch,
      }),
  });
  const production = options.production ?? false;
  const server = new ApolloServer({
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    plugins: [...gatewayPlugins(), ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  const running = await serveGraphQL({
    server,
    port: options.port,
    host: options.host,
    context: async () => ({}),
    routes: healthRoutes({ status: 'ok', service: 'gateway' }),
  });
  return { ...running, gateway };
}
