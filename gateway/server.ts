import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { healthRoutes, RunningServer, serveGraphQL } from '../subgraphs/common/http-server';
import { stringifyAsBytes } from '../subgraphs/common/json-body';
import { identifyRequest } from './auth/authenticate';
import { assertProductionAuth, authConfigured } from './auth/config';
import { installCors } from './auth/cors';
import { maskProductionError } from './auth/production-errors';
import { createTokenVerifier } from './auth/verifier';
import { connectionAuth } from './auth/websocket';
import { createAuthorization } from './authorization';
import type { GatewayConfig } from './config';
import type { EntityCache } from './cache/entity-cache';
import { setupEntityCache } from './cache/setup';
import { ForgeGateway } from './execution/forge-gateway';
import { setupLimits } from './limits/setup';
import { gatewayPlugins } from './plugins';
import { SubgraphDataSource, SubgraphPools } from './subgraph-data-source';
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
  /** The entity cache's invalidation stream broke; the cache is dark until it is back. */
  onCacheInterrupted?: (reason: unknown) => void;
  /** A subscriber fell SUBSCRIPTION_BUFFER events behind and was closed (4801); `resumeAfter` is what it was told. */
  onSlowConsumer?: (resumeAfter: string | null) => void;
}

export interface RunningGateway extends RunningServer {
  gateway: ForgeGateway;
  /** Absent when turned off (ENTITY_CACHE_TTL_MS=0). */
  entityCache?: EntityCache;
}

export async function startGateway(options: StartGatewayOptions): Promise<RunningGateway> {
  assertProductionAuth(options.production ?? false, options.auth);
  const verifier = createTokenVerifier({ jwksAlgorithms: ['RS256', 'ES256'], jwksCooldownMs: 30_000, clockToleranceS: 5, ...options.auth });
  const urlOverrides = options.urlOverrides ?? {};
  const pools = new SubgraphPools();
  // Entity answers kept while their invalidating events arrive (gateway/cache/).
  const entityCaching = setupEntityCache(options.entityCache ?? { ttlMs: 0, maxEntities: 0 }, () => authorization, options.onCacheInterrupted);
  const gateway = new ForgeGateway({
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
        identityHeader: (context) => authorization.identityHeader(context),
        pools,
      }),
  }, { executor: options.executor, entityCaching });
  // @authenticated / @requiresScopes enforcement and identity forwarding (gateway/authorization/).
  const authorization = createAuthorization(gateway, {
    production: options.production ?? false,
    authConfigured: authConfigured(options.auth),
    identitySigningSecret: options.identitySigningSecret,
  });
  // Subscriptions follow the supergraph: a reload brings new routes for new subscribers, open ones go on.
  let current: { apiSchema: GraphQLSchema; routes: Map<string, SubscriptionRoute> } | null = null;
  gateway.onSchemaLoadOrUpdate(({ apiSchema, coreSupergraphSdl }) => {
    current = { apiSchema, routes: subscriptionRoutes(coreSupergraphSdl, apiSchema, urlOverrides) };
    entityCaching?.follow(current.routes);
  });

  const production = options.production ?? false;
  // Limits, rate limiting and persisted operations (gateway/limits/setup.ts); warnings go to Apollo's logger.
  const limits = setupLimits(options.limits ?? {}, (message) => server.logger.warn(message), () => current?.apiSchema);
  const server = new ApolloServer({
    ...limits.apollo,
    gateway,
    introspection: !production,
    includeStacktraceInErrorResponses: !production,
    csrfPrevention: true,
    // Answers are encoded straight into UTF-8 bytes, long lists a run of rows at a time, so that no answer-sized
    // string lands in V8's large-object space (subgraphs/common/json-body.ts).
    stringifyResult: stringifyAsBytes,
    ...(production ? { formatError: maskProductionError } : {}),
    stopOnTerminationSignals: false,
    plugins: [...gatewayPlugins({ operationLimits: options.limits?.operationLimits }), authorization.plugin, ...(production ? [ApolloServerPluginLandingPageDisabled()] : [])],
  });
  // A start that fails (a port in use) releases what loading the supergraph already started: the entity
  // cache's event stream would otherwise retry for the life of the process.
  const released = async () => {
    await entityCaching?.stop();
    await limits.close();
    await pools.close();
  };
  const running = await serveGraphQL({
    server,
    port: options.port,
    host: options.host,
    maxBodyBytes: limits.maxBodyBytes,
    context: async (req, request) => {
      const identity = await identifyRequest(verifier, req);
      const remoteAddress = limits.remoteAddress(req);
      await limits.admit(request, identity, remoteAddress);
      return { identity, remoteAddress };
    },
    // The entity cache's state and counts ride along: whether it is live says whether its event stream is.
    routes: healthRoutes(() => ({ status: 'ok', service: 'gateway', entityCache: entityCaching ? entityCaching.cache.stats() : 'off' })),
  }).catch(async (error: unknown) => {
    await released();
    throw error;
  });
  installCors(running.httpServer, options.corsOrigins ?? []);
  const subscriptions = startSubscriptionServer({
    auth: connectionAuth(verifier),
    httpServer: running.httpServer,
    path: '/graphql',
    apollo: server,
    current: () => current,
    bufferSize: options.subscriptionBuffer ?? 1000,
    hydrationConcurrency: options.hydrationConcurrency ?? 4,
    onReconnect: options.onUpstreamReconnect,
    onSlowConsumer: options.onSlowConsumer,
    precheck: limits.precheck,
    authorization,
  });
  return {
    ...running,
    gateway,
    entityCache: entityCaching?.cache,
    async stop() {
      await subscriptions.stop();
      await running.stop();
      await released();
    },
  };
}
