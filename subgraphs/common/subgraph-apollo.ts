import { ApolloServer, type ApolloServerOptions, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import type http from 'node:http';
import { QueryFastLane } from './query-fast-lane';

/**
 * Apollo Server plugins of both subgraphs. Cache control is off: no type or field declares a cache hint, so
 * every response was `cache-control: no-store` anyway (the gateway reads a missing header the same way), yet the
 * plugin hooked every field of every response — a page of 500 orders paid for ~5,000 hooks and their closures.
 */
export function subgraphPlugins<C extends BaseContext>(): ApolloServerPlugin<C>[] {
  return [ApolloServerPluginCacheControlDisabled()];
}

/** Both subgraphs' Apollo Server, and the fast lane that answers their repeated queries (query-fast-lane.ts). */
export function subgraphApollo<C extends BaseContext>(
  schema: GraphQLSchema,
  context: (req: http.IncomingMessage) => Promise<C>,
  logger: ApolloServerOptions<C>['logger'],
): { server: ApolloServer<C>; fastLane: QueryFastLane<C> } {
  const fastLane = new QueryFastLane<C>(schema, context);
  const server = new ApolloServer<C>({
    schema,
    logger,
    // Signals belong to the process entry (main.ts), which stops the HTTP server too and picks the exit code.
    stopOnTerminationSignals: false,
    plugins: [...subgraphPlugins<C>(), fastLane.plugin],
  });
  return { server, fastLane };
}
