import type { ApolloServerPlugin } from '@apollo/server';
import { subgraphErrorCodes } from './subgraph-error-codes';

/** Every gateway concern is one plugin; this list is the whole assembly, in the order they run. */
export function gatewayPlugins(): ApolloServerPlugin[] {
  return [subgraphErrorCodes()];
}
